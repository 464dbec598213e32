import { CHECKED_GLYPH, UNCHECKED_GLYPH, symbolGlyph } from './symbols';
import { NAME_SLOTS, allAttrs, attr, scanXmlBytes, utf8 } from './xml-scan';
import type {
  SourceLocation,
  TaggedText,
  WordBlock,
  WordCell,
  WordParagraph,
  WordRow,
  WordTable,
} from './model';

const NAMESPACES: Record<string, string> = {
  'http://schemas.openxmlformats.org/wordprocessingml/2006/main': 'w',
  'http://purl.oclc.org/ooxml/wordprocessingml/main': 'w',
  'http://schemas.openxmlformats.org/markup-compatibility/2006': 'mc',
  'http://schemas.microsoft.com/office/word/2010/wordml': 'w14',
};

/** Subtrees that hold no document text: deleted or moved-away text, field code, the VML copy. */
const SKIPPED = new Set([
  'w:del',
  'w:moveFrom',
  'w:delText',
  'w:instrText',
  'w:delInstrText',
  'mc:Fallback',
  'w:tabs',
  'w:tblPr',
  'w:sectPr',
  'w:pPrChange',
  'w:rPrChange',
  'w:footnoteReference',
  'w:commentReference',
]);

interface ParagraphBuffer {
  parts: string[];
  breakBefore: boolean;
  breakAfter: boolean;
}

interface TableFrame {
  table: WordTable;
  row?: WordRow & { hMerge: Array<'restart' | 'continue' | undefined> };
  cell?: { cell: WordCell; blocks: WordBlock[] };
}

interface ContentControl {
  tag?: string;
  checkbox?: boolean;
  checked?: boolean;
  placeholder?: boolean;
  capture: string[];
  location: SourceLocation;
}

/** Tags whose properties we read although the rest of their subtree is skipped. */
const PROPERTY_READS = new Set(['w:gridSpan', 'w:vMerge', 'w:hMerge', 'w:gridBefore', 'w:gridAfter']);

/**
 * Every name the open and close handlers below act on. Most tags of a document (run and cell
 * formatting: `w:rPr`, `w:rFonts`, `w:sz`, `w:tcW`…) are none of them, and one lookup lets them
 * pass instead of a comparison with each case of the switch.
 */
const OPENS = new Set([
  ...SKIPPED,
  ...PROPERTY_READS,
  'w:p',
  'w:pageBreakBefore',
  'w:t',
  'w:tab',
  'w:ptab',
  'w:br',
  'w:cr',
  'w:noBreakHyphen',
  'w:sym',
  'w:sdt',
  'w:sdtPr',
  'w:sdtContent',
  'w:checkBox',
  'w:default',
  'w:checked',
  'w:txbxContent',
  'w:tbl',
  'w:gridCol',
  'w:tr',
  'w:tc',
]);
const CLOSES = new Set(['w:t', 'w:p', 'w:ffData', 'w:sdt', 'w:txbxContent', 'w:tc', 'w:tr', 'w:tbl']);
const OPEN_ACTS = 1;
const CLOSE_ACTS = 2;

/**
 * What the handlers do with a `w:` name (OPEN_ACTS, CLOSE_ACTS), by the slot the scanner cached
 * the name in: an array read instead of a set lookup per tag. A slot's entry counts only while
 * the slot holds the same name string. Only names in the main namespace's `w:` prefix are kept,
 * whose meaning no document can change.
 */
const slotNames = new Array<string>(NAME_SLOTS).fill('');
const slotActs = new Uint8Array(NAME_SLOTS);

function actsOf(canonicalName: string): number {
  return (OPENS.has(canonicalName) ? OPEN_ACTS : 0) | (CLOSES.has(canonicalName) ? CLOSE_ACTS : 0);
}

/**
 * Walks `word/document.xml` once, over its bytes, and returns paragraphs and tables with their
 * text as a reader sees it: deleted text, field codes and the fallback copy of a text box are
 * dropped, inserted text, field results and text boxes are kept, symbol-font and content-control
 * checkboxes become ☑/☐. Documents declaring a DOCTYPE are refused outright (see xml-scan), so
 * no entity is ever expanded or fetched.
 *
 * Every string it hands out is decoded from the bytes of one run or attribute, never cut out of
 * a decoded copy of the whole part: V8 makes a substring of 13 or more characters a view into
 * its parent, and text kept after the parse (in a record, in the parser's label-key cache) then
 * pinned one whole document.xml per string (a 10,000-file import once kept 3,400 of them,
 * 200 MB, alive).
 */
export function readDocumentXml(xml: string | Uint8Array): { blocks: WordBlock[]; tagged: TaggedText[] } {
  const bytes =
    typeof xml === 'string'
      ? Buffer.from(xml, 'utf8')
      : Buffer.from(xml.buffer, xml.byteOffset, xml.byteLength);
  const canonical = new Map<string, string>();
  const prefixes: Record<string, string> = {};
  let wPrefix = 'w';
  let w14Prefix = 'w14';
  let standardPrefixes = true;
  const name = (raw: string): string => {
    // Nearly every file spells the main namespace `w:`; skip the lookup for it.
    if (standardPrefixes && raw.charCodeAt(0) === 119 && raw.charCodeAt(1) === 58) return raw;
    let c = canonical.get(raw);
    if (c === undefined) {
      const i = raw.indexOf(':');
      const prefix = i < 0 ? '' : raw.slice(0, i);
      const short = prefixes[prefix];
      c = short ? `${short}:${raw.slice(i + 1)}` : raw;
      canonical.set(raw, c);
    }
    return c;
  };
  // The attributes of the tag being opened, decoded only when one of them is read.
  let attrStart = 0;
  let attrEnd = 0;
  let attrText: string | undefined;
  const attrs = (): string => (attrText ??= utf8(bytes, attrStart, attrEnd));
  const wAttr = (local: string): string | undefined => attr(attrs(), wPrefix ? `${wPrefix}:${local}` : local);

  const body: WordBlock[] = [];
  const containers: WordBlock[][] = [body];
  const paragraphs: ParagraphBuffer[] = [];
  const tables: TableFrame[] = [];
  const controls: ContentControl[] = [];
  const tagged: TaggedText[] = [];
  let tableCount = 0;
  let bodyParagraphCount = 0;
  let skipDepth = 0;
  let inText = false;
  let inSdtPr = 0;
  let pendingFormCheckbox: { default?: boolean; checked?: boolean } | undefined;
  let started = false;

  const append = (s: string): void => {
    const p = paragraphs[paragraphs.length - 1];
    if (!p) return;
    p.parts.push(s);
    for (const c of controls) c.capture.push(s);
  };
  const activeControl = (): ContentControl | undefined => controls[controls.length - 1];
  const hidesText = (): boolean => controls.some((c) => c.checkbox || c.placeholder);

  const location = (): SourceLocation => {
    const t = tables[tables.length - 1];
    if (!t) return { paragraph: bodyParagraphCount };
    return { table: t.table.index, row: t.table.rows.length, cell: t.row ? t.row.cells.length : undefined };
  };

  /** actsOf the name's canonical form, from the slot cache when it can be. */
  const acts = (raw: string, slot: number): number => {
    if (standardPrefixes && slot >= 0 && slotNames[slot] === raw) return slotActs[slot];
    const n = name(raw);
    const a = actsOf(n);
    if (slot >= 0 && standardPrefixes && n === raw && raw.charCodeAt(0) === 119 && raw.charCodeAt(1) === 58) {
      slotNames[slot] = raw;
      slotActs[slot] = a;
    }
    return a;
  };

  const onOpen = (raw: string, selfClosing: boolean, slot: number): void => {
    if (!started) {
      started = true;
      for (const [k, v] of Object.entries(allAttrs(attrs()))) {
        if (k === 'xmlns' || k.startsWith('xmlns:')) {
          const short = NAMESPACES[v];
          const prefix0 = k === 'xmlns' ? '' : k.slice(6);
          if (prefix0 === 'w' && !short) standardPrefixes = false;
          if (short) {
            const prefix = k === 'xmlns' ? '' : k.slice(6);
            prefixes[prefix] = short;
            if (short === 'w') wPrefix = prefix;
            if (prefix === 'w' && short !== 'w') standardPrefixes = false;
            if (short === 'w14') w14Prefix = prefix;
          }
        }
      }
      canonical.clear();
    }
    const n = name(raw);
    // The scanner reports a close for self-closing tags too, so depths count every open.
    if (skipDepth > 0) {
      skipDepth++;
      return;
    }
    if (inSdtPr > 0) {
      inSdtPr++;
      const c = activeControl();
      if (!c) return;
      if (n === 'w:tag') c.tag = wAttr('val');
      else if (n === 'w:showingPlcHdr') c.placeholder = wAttr('val') !== '0' && wAttr('val') !== 'false';
      else if (n === 'w14:checkbox') c.checkbox = true;
      else if (n === 'w14:checked') {
        const val = attr(attrs(), `${w14Prefix}:val`);
        c.checked = val === '1' || val === 'true';
      }
      return;
    }
    if ((acts(raw, slot) & OPEN_ACTS) === 0) return;
    if (PROPERTY_READS.has(n)) {
      readProperty(n);
      skipDepth++;
      return;
    }
    if (SKIPPED.has(n)) {
      if (n === 'w:sectPr') {
        const p = paragraphs[paragraphs.length - 1];
        if (p) p.breakAfter = true;
      }
      skipDepth++;
      return;
    }
    switch (n) {
      case 'w:p':
        paragraphs.push({ parts: [], breakBefore: false, breakAfter: false });
        return;
      case 'w:pageBreakBefore': {
        const v = wAttr('val');
        const p = paragraphs[paragraphs.length - 1];
        if (p && v !== '0' && v !== 'false') p.breakBefore = true;
        return;
      }
      case 'w:t':
        if (!selfClosing) inText = true;
        return;
      case 'w:tab':
      case 'w:ptab':
        if (!hidesText() && paragraphs.length) append('\t');
        return;
      case 'w:br': {
        if (hidesText()) return;
        const type = wAttr('type');
        if (type === 'page' || type === 'column') {
          const p = paragraphs[paragraphs.length - 1];
          if (p?.parts.length) p.breakAfter = true;
          else if (p) p.breakBefore = true;
        } else append('\n');
        return;
      }
      case 'w:cr':
        if (!hidesText()) append('\n');
        return;
      case 'w:noBreakHyphen':
        if (!hidesText()) append('-');
        return;
      case 'w:sym':
        if (!hidesText()) append(symbolGlyph(wAttr('font'), wAttr('char')));
        return;
      case 'w:sdt':
        controls.push({ capture: [], location: location() });
        return;
      case 'w:sdtPr':
        inSdtPr = 1;
        return;
      case 'w:sdtContent': {
        const c = activeControl();
        if (c?.checkbox) append(c.checked ? CHECKED_GLYPH : UNCHECKED_GLYPH);
        return;
      }
      case 'w:checkBox':
        pendingFormCheckbox = {};
        return;
      case 'w:default':
        if (pendingFormCheckbox) pendingFormCheckbox.default = isOn(wAttr('val'));
        return;
      case 'w:checked':
        if (pendingFormCheckbox) pendingFormCheckbox.checked = isOn(wAttr('val'));
        return;
      case 'w:txbxContent':
        containers.push([]);
        paragraphs.push({ parts: [], breakBefore: false, breakAfter: false });
        return;
      case 'w:tbl': {
        const table: WordTable = { kind: 'table', index: tableCount++, rows: [], grid: [] };
        tables.push({ table });
        return;
      }
      case 'w:gridCol': {
        const t = tables[tables.length - 1];
        if (t) t.table.grid.push(Number(wAttr('w') ?? 0));
        return;
      }
      case 'w:tr': {
        const t = tables[tables.length - 1];
        if (t) t.row = { cells: [], gridBefore: 0, gridAfter: 0, index: t.table.rows.length, hMerge: [] };
        return;
      }
      case 'w:tc': {
        const t = tables[tables.length - 1];
        if (!t?.row) return;
        const cell: WordCell = { text: '', gridSpan: 1, col: 0, tables: [], index: t.row.cells.length };
        t.cell = { cell, blocks: [] };
        t.row.hMerge.push(undefined);
        containers.push(t.cell.blocks);
        return;
      }
      default:
        return;
    }
  };

  function isOn(v: string | undefined): boolean {
    return v === undefined || (v !== '0' && v !== 'false' && v !== 'off');
  }

  function readProperty(n: string): void {
    const t = tables[tables.length - 1];
    if (!t?.row) return;
    const val = wAttr('val');
    switch (n) {
      case 'w:gridBefore':
        t.row.gridBefore = Number(val ?? 0) || 0;
        return;
      case 'w:gridAfter':
        t.row.gridAfter = Number(val ?? 0) || 0;
        return;
      case 'w:gridSpan':
        if (t.cell) t.cell.cell.gridSpan = Math.max(1, Number(val ?? 1) || 1);
        return;
      case 'w:vMerge':
        // A bare <w:vMerge/> continues the merge above.
        if (t.cell) t.cell.cell.vMerge = val === 'restart' ? 'restart' : 'continue';
        return;
      case 'w:hMerge':
        if (t.cell) t.row.hMerge[t.row.hMerge.length - 1] = val === 'restart' ? 'restart' : 'continue';
        return;
    }
  }

  function closeParagraph(): void {
    const p = paragraphs.pop();
    if (!p) return;
    const container = containers[containers.length - 1];
    const paragraph: WordParagraph = {
      kind: 'paragraph',
      index: container === body ? bodyParagraphCount++ : -1,
      text: p.parts.join(''),
      breakBefore: p.breakBefore,
      breakAfter: p.breakAfter,
    };
    container.push(paragraph);
    for (const c of controls) c.capture.push('\n');
  }

  const onText = (start: number, end: number, decoded: string | undefined): void => {
    if (inText && skipDepth === 0 && !hidesText()) append(decoded ?? utf8(bytes, start, end));
  };

  const onClose = (raw: string, slot: number): void => {
    if (skipDepth > 0) {
      skipDepth--;
      return;
    }
    if (inSdtPr > 0) {
      inSdtPr--;
      return;
    }
    if ((acts(raw, slot) & CLOSE_ACTS) === 0) return;
    const n = name(raw);
    switch (n) {
      case 'w:t':
        inText = false;
        return;
      case 'w:p':
        closeParagraph();
        return;
      case 'w:ffData':
        // A legacy FORMCHECKBOX field stores its state here and has no result text.
        if (pendingFormCheckbox) {
          const on = pendingFormCheckbox.checked ?? pendingFormCheckbox.default ?? false;
          append(on ? CHECKED_GLYPH : UNCHECKED_GLYPH);
          pendingFormCheckbox = undefined;
        }
        return;
      case 'w:sdt': {
        const c = controls.pop();
        if (c?.tag)
          tagged.push({
            tag: c.tag,
            text: c.capture.join('').replace(/\n$/, ''),
            location: c.location,
          });
        return;
      }
      case 'w:txbxContent': {
        // The text box's own paragraph buffer absorbs stray runs; its paragraphs go before the
        // paragraph that anchors the box, where a reader's eye meets them.
        paragraphs.pop();
        const blocks = containers.pop() ?? [];
        containers[containers.length - 1].push(...blocks);
        return;
      }
      case 'w:tc': {
        const t = tables[tables.length - 1];
        if (!t?.row || !t.cell) return;
        containers.pop();
        const { cell, blocks } = t.cell;
        const texts: string[] = [];
        for (const b of blocks) {
          if (b.kind === 'paragraph') texts.push(b.text);
          else cell.tables.push(b);
        }
        cell.text = texts.join('\n');
        t.row.cells.push(cell);
        t.cell = undefined;
        return;
      }
      case 'w:tr': {
        const t = tables[tables.length - 1];
        if (!t?.row) return;
        const row = t.row;
        const cells: WordCell[] = [];
        row.cells.forEach((cell, i) => {
          const prev = cells[cells.length - 1];
          if (row.hMerge[i] === 'continue' && prev) {
            // Legacy horizontal merge: the continuation cell widens the cell it continues.
            prev.gridSpan += cell.gridSpan;
            return;
          }
          cells.push(cell);
        });
        let col = row.gridBefore;
        cells.forEach((cell, i) => {
          cell.col = col;
          cell.index = i;
          col += cell.gridSpan;
        });
        t.table.rows.push({ cells, gridBefore: row.gridBefore, gridAfter: row.gridAfter, index: row.index });
        t.row = undefined;
        return;
      }
      case 'w:tbl': {
        const t = tables.pop();
        if (t) containers[containers.length - 1].push(t.table);
        return;
      }
      default:
        return;
    }
  };

  const open = (raw: string, start: number, end: number, selfClosing: boolean, slot: number): void => {
    attrStart = start;
    attrEnd = end;
    attrText = undefined;
    onOpen(raw, selfClosing, slot);
  };
  scanXmlBytes(bytes, {
    open,
    close: onClose,
    text: onText,
    // Most tags are empty formatting (`<w:sz w:val="24"/>`): inside a skipped subtree, or with a
    // name neither handler acts on, opening and closing one changes nothing.
    empty: (raw, start, end, slot) => {
      if (started && (skipDepth > 0 || (inSdtPr === 0 && acts(raw, slot) === 0))) return;
      open(raw, start, end, true, slot);
      onClose(raw, slot);
    },
  });
  return { blocks: body, tagged };
}
