import { escapeXml } from './ooxml';

/**
 * The parts of a generated .docx other than the document body. Typography follows the official
 * document standard (GB/T 9704): A4 portrait, 37 mm top / 35 mm bottom / 28 mm left / 26 mm right,
 * 仿宋_GB2312 body text, 黑体 for the attachment label and the title. Sizes are Chinese points:
 * 二号 22 pt, 三号 16 pt, 四号 14 pt, 小四 12 pt (w:sz counts half-points).
 */

const MM = 56.6929; // twips per millimetre
export const PAGE = {
  width: 11906,
  height: 16838,
  top: Math.round(37 * MM),
  bottom: Math.round(35 * MM),
  left: Math.round(28 * MM),
  right: Math.round(26 * MM),
};
/** Width of the text block, the widest a table may be. */
export const TEXT_WIDTH = PAGE.width - PAGE.left - PAGE.right;

/**
 * The official faces are named first, in every slot of a run (East Asian, Latin, complex script),
 * so digits and Latin letters print in the same face as the Chinese around them. Where a face is
 * missing each word processor substitutes its own way: Word and WPS take the font table's
 * `w:altName` (仿宋, 宋体, present on every Chinese Windows) guided by its panose and charset;
 * LibreOffice asks fontconfig, and libreoffice/fonts.conf maps these names to Noto Serif CJK SC
 * (黑体 to Noto Sans CJK SC) instead of fontconfig's default sans-serif.
 */
export const BODY_FONT = '仿宋_GB2312';
export const TITLE_FONT = '方正小标宋简体';
export const HEADING_FONT = '黑体';

/** One em of the signature lines' 四号 type (14 pt), in twips. */
export const LINE_EM = 280;

/** Paragraph style ids; the renderer refers to these only. */
export const Style = {
  Attachment: 'FBAttachment',
  Title: 'FBTitle',
  Year: 'FBYear',
  Line: 'FBLine',
  Label: 'FBLabel',
  Value: 'FBValue',
  Centered: 'FBCentered',
  Seal: 'FBSeal',
} as const;

/** The table's paragraph styles, in 小四 (12 pt) or, for forms of many columns, 小五 (9 pt). */
export interface TableText {
  Label: string;
  Value: string;
  Centered: string;
  Seal: string;
  /** One em of the text, in twips. */
  em: number;
}
export const TABLE_TEXT: Record<'standard' | 'compact', TableText> = {
  standard: { Label: Style.Label, Value: Style.Value, Centered: Style.Centered, Seal: Style.Seal, em: 240 },
  compact: {
    Label: 'FBLabelCompact',
    Value: 'FBValueCompact',
    Centered: 'FBCenteredCompact',
    Seal: 'FBSealCompact',
    em: 180,
  },
};

const W_NS =
  'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ' +
  'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';

export const DOCUMENT_OPEN =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  `<w:document ${W_NS} xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
  'xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" mc:Ignorable="w14"><w:body>';

export const DOCUMENT_CLOSE =
  '<w:sectPr>' +
  `<w:pgSz w:w="${PAGE.width}" w:h="${PAGE.height}"/>` +
  `<w:pgMar w:top="${PAGE.top}" w:right="${PAGE.right}" w:bottom="${PAGE.bottom}" w:left="${PAGE.left}" w:header="851" w:footer="992" w:gutter="0"/>` +
  '<w:cols w:space="425"/><w:docGrid w:linePitch="312"/>' +
  '</w:sectPr></w:body></w:document>';

function fonts(face: string): string {
  return `<w:rFonts w:ascii="${face}" w:eastAsia="${face}" w:hAnsi="${face}" w:cs="${face}" w:hint="eastAsia"/>`;
}

function paragraphStyle(id: string, name: string, pPr: string, rPr: string): string {
  return (
    `<w:style w:type="paragraph" w:customStyle="1" w:styleId="${id}"><w:name w:val="${name}"/>` +
    `<w:basedOn w:val="Normal"/><w:qFormat/><w:pPr>${pPr}</w:pPr><w:rPr>${rPr}</w:rPr></w:style>`
  );
}

const size = (halfPoints: number) => `<w:sz w:val="${halfPoints}"/><w:szCs w:val="${halfPoints}"/>`;

function tableStyles(t: TableText, name: string): string {
  const sz = size(t.em / 10);
  return (
    paragraphStyle(t.Label, `FormBridge Label${name}`, '<w:jc w:val="center"/>', sz) +
    paragraphStyle(t.Value, `FormBridge Value${name}`, '<w:jc w:val="left"/>', sz) +
    paragraphStyle(
      t.Centered,
      `FormBridge Centered${name}`,
      '<w:autoSpaceDE w:val="0"/><w:autoSpaceDN w:val="0"/><w:jc w:val="center"/>',
      sz,
    ) +
    paragraphStyle(t.Seal, `FormBridge Seal${name}`, '<w:jc w:val="right"/>', sz)
  );
}

export const STYLES_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  `<w:styles ${W_NS}>` +
  '<w:docDefaults><w:rPrDefault><w:rPr>' +
  fonts(BODY_FONT) +
  `${size(24)}<w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>` +
  '</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val="0"/><w:spacing w:after="0" w:line="240" w:lineRule="auto"/><w:jc w:val="both"/></w:pPr></w:pPrDefault></w:docDefaults>' +
  '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>' +
  '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>' +
  '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:semiHidden/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/>' +
  '<w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>' +
  paragraphStyle(
    Style.Attachment,
    'FormBridge Attachment Label',
    '<w:spacing w:after="120"/><w:jc w:val="left"/>',
    fonts(HEADING_FONT) + size(32),
  ) +
  paragraphStyle(
    Style.Title,
    'FormBridge Title',
    '<w:keepNext/><w:spacing w:before="120" w:after="120"/><w:jc w:val="center"/>',
    fonts(TITLE_FONT) + '<w:b/><w:bCs/>' + size(44),
  ) +
  paragraphStyle(
    Style.Year,
    'FormBridge Year',
    '<w:keepNext/><w:spacing w:after="120"/><w:jc w:val="center"/>',
    size(32),
  ) +
  paragraphStyle(
    Style.Line,
    'FormBridge Line',
    '<w:spacing w:before="60" w:after="60"/><w:jc w:val="left"/>',
    size(LINE_EM / 10),
  ) +
  tableStyles(TABLE_TEXT.standard, '') +
  tableStyles(TABLE_TEXT.compact, ' Compact') +
  '</w:styles>';

/** Each Chinese font names the font Word substitutes when it is missing (w:altName). */
function font(
  name: string,
  altName: string | undefined,
  panose: string,
  charset: string,
  family: string,
  pitch: string,
): string {
  return (
    `<w:font w:name="${name}">${altName ? `<w:altName w:val="${altName}"/>` : ''}<w:panose1 w:val="${panose}"/>` +
    `<w:charset w:val="${charset}"/><w:family w:val="${family}"/><w:pitch w:val="${pitch}"/></w:font>`
  );
}

export const FONT_TABLE_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  `<w:fonts ${W_NS}>` +
  font(BODY_FONT, '仿宋', '02010609030101010101', '86', 'modern', 'fixed') +
  font('仿宋', 'FangSong', '02010609060101010101', '86', 'modern', 'fixed') +
  font(TITLE_FONT, '宋体', '02000000000000000000', '86', 'script', 'variable') +
  font('宋体', 'SimSun', '02010600030101010101', '86', 'auto', 'variable') +
  font(HEADING_FONT, 'SimHei', '02010609060101010101', '86', 'modern', 'fixed') +
  font('Segoe UI Symbol', undefined, '020B0502040204020203', '00', 'swiss', 'variable') +
  '</w:fonts>';

export const SETTINGS_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  `<w:settings ${W_NS}><w:zoom w:percent="100"/><w:defaultTabStop w:val="420"/>` +
  '<w:drawingGridVerticalSpacing w:val="156"/><w:characterSpacingControl w:val="compressPunctuation"/>' +
  '<w:compat><w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/></w:compat>' +
  '<w:themeFontLang w:val="en-US" w:eastAsia="zh-CN"/><w:decimalSymbol w:val="."/><w:listSeparator w:val=","/></w:settings>';

export const CONTENT_TYPES_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
  '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
  '<Default Extension="xml" ContentType="application/xml"/>' +
  '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>' +
  '<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>' +
  '<Override PartName="/word/settings.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>' +
  '<Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>' +
  '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>' +
  '<Override PartName="/docProps/app.xml" ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>' +
  '<Override PartName="/docProps/custom.xml" ContentType="application/vnd.openxmlformats-officedocument.custom-properties+xml"/>' +
  '</Types>';

const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';

export const ROOT_RELS_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="${REL}/officeDocument" Target="word/document.xml"/>` +
  '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>' +
  `<Relationship Id="rId3" Type="${REL}/extended-properties" Target="docProps/app.xml"/>` +
  `<Relationship Id="rId4" Type="${REL}/custom-properties" Target="docProps/custom.xml"/>` +
  '</Relationships>';

export const DOCUMENT_RELS_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
  `<Relationship Id="rId1" Type="${REL}/styles" Target="styles.xml"/>` +
  `<Relationship Id="rId2" Type="${REL}/settings" Target="settings.xml"/>` +
  `<Relationship Id="rId3" Type="${REL}/fontTable" Target="fontTable.xml"/>` +
  '</Relationships>';

export const APP_XML =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
  '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" ' +
  'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><Application>FormBridge</Application></Properties>';

/** Core properties: a title for the file's property sheet; no timestamps, so equal input gives equal bytes. */
export function coreXml(title: string): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ' +
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" ' +
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<dc:title>${escapeXml(title)}</dc:title><dc:creator>FormBridge</dc:creator></cp:coreProperties>`
  );
}

/** docProps/custom.xml: user-defined properties, each a string. */
export function customXml(properties: Array<[string, string]>): string {
  // A loop, not map().join(): see mapList (arrays.ts).
  let items = '';
  for (let i = 0; i < properties.length; i++) {
    const [name, value] = properties[i];
    items += `<property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="${i + 2}" name="${escapeXml(name)}"><vt:lpwstr>${escapeXml(value)}</vt:lpwstr></property>`;
  }
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" ' +
    `xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">${items}</Properties>`
  );
}
