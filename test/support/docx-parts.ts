import { strFromU8, strToU8, unzipSync, zipSync, Zippable } from 'fflate';

/** The text of one part of a .docx. */
export function partText(bytes: Uint8Array, name: string): string {
  const part = unzipSync(bytes)[name];
  if (!part) throw new Error(`the package has no ${name}`);
  return strFromU8(part);
}

export const documentXmlOf = (bytes: Uint8Array) => partText(bytes, 'word/document.xml');

/** Unzips, lets `edit` change the parts (text in, text out), and zips again as Word would save it. */
export function editParts(bytes: Uint8Array, edit: (parts: Map<string, string>) => void): Uint8Array {
  const files = unzipSync(bytes);
  const parts = new Map(Object.entries(files).map(([name, data]) => [name, strFromU8(data)]));
  edit(parts);
  const out: Zippable = {};
  for (const [name, text] of parts) out[name] = strToU8(text);
  return zipSync(out);
}

export function editDocumentXml(bytes: Uint8Array, edit: (xml: string) => string): Uint8Array {
  return editParts(bytes, (parts) =>
    parts.set('word/document.xml', edit(parts.get('word/document.xml') ?? '')),
  );
}

/**
 * What a program that drops content controls leaves behind (WPS, older converters): every
 * control unwrapped into plain runs and paragraphs, checkboxes as their glyph, and no FormBridge
 * document properties. Only the printed labels are left to read.
 */
export function withoutLayer(bytes: Uint8Array): Uint8Array {
  return editParts(bytes, (parts) => {
    const xml = parts.get('word/document.xml') ?? '';
    parts.set(
      'word/document.xml',
      xml.replace(/<w:sdtPr>[\s\S]*?<\/w:sdtPr>/g, '').replace(/<\/?w:sdt(?:Content)?>/g, ''),
    );
    parts.delete('docProps/custom.xml');
    parts.set(
      '[Content_Types].xml',
      (parts.get('[Content_Types].xml') ?? '').replace(
        /<Override PartName="\/docProps\/custom\.xml"[^>]*\/>/,
        '',
      ),
    );
    parts.set(
      '_rels/.rels',
      (parts.get('_rels/.rels') ?? '').replace(/<Relationship [^>]*Target="docProps\/custom\.xml"\/>/, ''),
    );
  });
}

/** The rows (`<w:tr>…</w:tr>`) of the document, in order. */
export function tableRows(xml: string): string[] {
  return xml.match(/<w:tr>[\s\S]*?<\/w:tr>/g) ?? [];
}

/** The `w:tag` values of the document, in order. */
export function tags(xml: string): string[] {
  return [...xml.matchAll(/<w:tag w:val="([^"]*)"\/>/g)].map((m) => m[1]);
}

/** Visible text of an XML fragment: the `w:t` contents joined. */
export function textOf(xml: string): string {
  return [...xml.matchAll(/<w:t(?: [^>]*)?>([^<]*)<\/w:t>/g)].map((m) => m[1]).join('');
}

/** Replaces the text of the first control tagged `tag` (its first run) after `from`. */
export function setControlText(xml: string, tag: string, text: string, from = 0): string {
  const at = xml.indexOf(`<w:tag w:val="${tag}"/>`, from);
  if (at < 0) throw new Error(`no control tagged ${tag}`);
  const end = xml.indexOf('</w:sdtContent>', at);
  const inside = xml.slice(at, end);
  const edited = /<w:t xml:space="preserve">[^<]*<\/w:t>/.test(inside)
    ? inside.replace(/(<w:t xml:space="preserve">)[^<]*(<\/w:t>)/, `$1${text}$2`)
    : inside.replace(/<\/w:pPr>/, `</w:pPr><w:r><w:t xml:space="preserve">${text}</w:t></w:r>`);
  return xml.slice(0, at) + edited + xml.slice(end);
}
