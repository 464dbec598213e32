import { strToU8, zipSync, Zippable } from 'fflate';

export const W_NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" ' +
  'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ' +
  'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ' +
  'xmlns:v="urn:schemas-microsoft-com:vml" mc:Ignorable="w14"';

/** A document.xml around a body fragment, as WordprocessingML spells it. */
export function documentXml(body: string): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<w:document ${W_NS}><w:body>${body}<w:sectPr/></w:body></w:document>`;
}

/** The smallest valid package around a document.xml; extra parts may be added or replaced. */
export function packageOf(document: string, extra: Record<string, string | Uint8Array> = {}): Uint8Array {
  const files: Zippable = {
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Default Extension="xml" ContentType="application/xml"/>' +
        '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>',
    ),
    'word/document.xml': strToU8(document),
  };
  for (const [name, content] of Object.entries(extra))
    files[name] = typeof content === 'string' ? strToU8(content) : content;
  return zipSync(files);
}

export const p = (inner: string) => `<w:p>${inner}</w:p>`;
export const r = (text: string) => `<w:r><w:t xml:space="preserve">${text}</w:t></w:r>`;
export const tc = (inner: string, props = '') => `<w:tc><w:tcPr>${props}</w:tcPr>${inner}</w:tc>`;
export const tr = (inner: string, props = '') =>
  `<w:tr>${props ? `<w:trPr>${props}</w:trPr>` : ''}${inner}</w:tr>`;
export const tbl = (rows: string, grid: number[]) =>
  `<w:tbl><w:tblPr/><w:tblGrid>${grid.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>${rows}</w:tbl>`;
