/**
 * WordprocessingML building blocks as strings. The renderer concatenates these around escaped
 * values; nothing here builds a DOM, which is what keeps generation cheap.
 */

const XML_SPECIAL = /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/;
const XML_SPECIAL_ALL = /[&<>"\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
const ENTITY: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' };

/** Escapes text and attribute values; characters XML 1.0 cannot hold are dropped. */
export function escapeXml(s: string): string {
  return XML_SPECIAL.test(s) ? s.replace(XML_SPECIAL_ALL, (c) => ENTITY[c] ?? '') : s;
}

/** Run properties of the checkbox glyph: a font every Office install has for ☐/☑. */
export const CHECKBOX_FONT = 'Segoe UI Symbol';
const CHECKBOX_RPR = `<w:rPr><w:rFonts w:ascii="${CHECKBOX_FONT}" w:eastAsia="${CHECKBOX_FONT}" w:hAnsi="${CHECKBOX_FONT}" w:hint="eastAsia"/></w:rPr>`;

/** Runs for one line of text: tabs become `w:tab`, the rest one `w:t` per stretch. */
export function runs(line: string, rPr = ''): string {
  if (line === '') return '';
  const open = `<w:r>${rPr}`;
  if (!line.includes('\t')) return `${open}<w:t xml:space="preserve">${escapeXml(line)}</w:t></w:r>`;
  return `${open}${line
    .split('\t')
    .map((part) => (part ? `<w:t xml:space="preserve">${escapeXml(part)}</w:t>` : ''))
    .join('<w:tab/>')}</w:r>`;
}

/** Runs for text that may span lines inside one paragraph: line breaks become `w:br`. */
export function inlineRuns(text: string, rPr = ''): string {
  return text.includes('\n')
    ? text
        .split('\n')
        .map((l) => runs(l, rPr))
        .join('<w:r><w:br/></w:r>')
    : runs(text, rPr);
}

export function paragraphOpen(style: string, extra = ''): string {
  return `<w:p><w:pPr><w:pStyle w:val="${style}"/>${extra}</w:pPr>`;
}

/**
 * A value of one or more lines: one paragraph per line, each holding its own content control with
 * the value's tag (an empty value still gets one paragraph and one control to type into).
 * Controls stay inside paragraphs on purpose: LibreOffice 7.4 writes a control that spans several
 * paragraphs back to .docx with the text of the first paragraph repeated, so a re-saved form
 * would read wrong; run-level controls survive its round trip intact.
 */
export function controlledParagraphs(
  tag: string,
  alias: string | undefined,
  style: string,
  pPr = '',
): (lines: string[]) => string {
  const control = inlineControl(tag, alias);
  const open = paragraphOpen(style, pPr) + control.open;
  const close = `${control.close}</w:p>`;
  const empty = open + close;
  return (lines) => {
    if (lines.length === 0) return empty;
    let out = '';
    for (const l of lines) out += open + runs(l) + close;
    return out;
  };
}

function sdtPr(tag: string, alias?: string): string {
  return `<w:sdtPr>${alias ? `<w:alias w:val="${escapeXml(alias)}"/>` : ''}<w:tag w:val="${escapeXml(tag)}"/></w:sdtPr>`;
}

/** A content control around runs (inside a paragraph); returns its opening and closing XML. */
export function inlineControl(tag: string, alias?: string): { open: string; close: string } {
  return { open: `<w:sdt>${sdtPr(tag, alias)}<w:sdtContent>`, close: '</w:sdtContent></w:sdt>' };
}

/** A Word 2010 checkbox content control (`w14:checkbox`), which Word, WPS and LibreOffice all tick. */
export function checkbox(tag: string, checked: boolean, alias?: string): string {
  const glyph = checked ? '☑' : '☐';
  return (
    `<w:sdt><w:sdtPr>${CHECKBOX_RPR}${alias ? `<w:alias w:val="${escapeXml(alias)}"/>` : ''}<w:tag w:val="${escapeXml(tag)}"/>` +
    `<w14:checkbox><w14:checked w14:val="${checked ? 1 : 0}"/>` +
    `<w14:checkedState w14:val="2611" w14:font="${CHECKBOX_FONT}"/><w14:uncheckedState w14:val="2610" w14:font="${CHECKBOX_FONT}"/>` +
    `</w14:checkbox></w:sdtPr><w:sdtContent><w:r>${CHECKBOX_RPR}<w:t>${glyph}</w:t></w:r></w:sdtContent></w:sdt>`
  );
}

export interface CellOptions {
  width: number;
  span: number;
  vMerge?: 'restart' | 'continue';
}

/** `<w:tc>` with its properties; the caller adds the paragraphs and `</w:tc>`. */
export function cellOpen({ width, span, vMerge }: CellOptions): string {
  return (
    `<w:tc><w:tcPr><w:tcW w:w="${width}" w:type="dxa"/>` +
    (span > 1 ? `<w:gridSpan w:val="${span}"/>` : '') +
    (vMerge === 'restart' ? '<w:vMerge w:val="restart"/>' : vMerge === 'continue' ? '<w:vMerge/>' : '') +
    '<w:vAlign w:val="center"/></w:tcPr>'
  );
}

/**
 * `w:trPr`: a smallest height; `keep` for a row that must not break across pages; `header` for a
 * table's first row, repeated at the top of every page the table continues on.
 */
export function rowOpen(minHeight?: number, keep = false, header = false): string {
  const props = `${keep ? '<w:cantSplit/>' : ''}${minHeight ? `<w:trHeight w:val="${minHeight}" w:hRule="atLeast"/>` : ''}${header ? '<w:tblHeader/>' : ''}`;
  return props ? `<w:tr><w:trPr>${props}</w:trPr>` : '<w:tr>';
}

/**
 * Ends a table and starts the next one on the same grid. Word and LibreOffice repeat only a
 * table's leading rows on a new page, so a block whose header row should repeat is a table of its
 * own; the paragraph between keeps Word from joining the two tables, and is so low (0.1 pt) that the
 * two tables' rules print as one.
 */
export function tableBreak(grid: number[]): string {
  return (
    '</w:tbl><w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="2" w:lineRule="exact"/>' +
    '<w:rPr><w:sz w:val="2"/><w:szCs w:val="2"/></w:rPr></w:pPr></w:p>' +
    tableOpen(grid)
  );
}

/** Table properties: fixed layout with explicit `gridCol` widths, so every word processor draws the same table. */
/** Left and right padding of every table cell, in twips. */
export const CELL_MARGIN = 57;

export function tableOpen(grid: number[]): string {
  const width = grid.reduce((a, b) => a + b, 0);
  const border = (side: string) => `<w:${side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`;
  return (
    `<w:tbl><w:tblPr><w:tblW w:w="${width}" w:type="dxa"/><w:jc w:val="center"/>` +
    `<w:tblBorders>${['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map(border).join('')}</w:tblBorders>` +
    '<w:tblLayout w:type="fixed"/>' +
    `<w:tblCellMar><w:top w:w="28" w:type="dxa"/><w:left w:w="${CELL_MARGIN}" w:type="dxa"/><w:bottom w:w="28" w:type="dxa"/><w:right w:w="${CELL_MARGIN}" w:type="dxa"/></w:tblCellMar>` +
    '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="0" w:noVBand="0"/></w:tblPr>' +
    `<w:tblGrid>${grid.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`
  );
}
