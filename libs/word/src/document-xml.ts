import { CHECKED_GLYPH, UNCHECKED_GLYPH, symbolGlyph } from './symbols';
import { NAME_SLOTS, XmlBytesHandler, allAttrs, attr, scanXmlBytes, utf8 } from './xml-scan';
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

interface ParagraphBuffer {
  /** The paragraph's text so far, and how many pieces it was appended in. */
  text: string;
  pieces: number;
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
  capture: string;
  location: SourceLocation;
}

/** What the reader does with an element, by its name in the main namespace. */
const Act = {
  None: 0,
  /** A subtree that holds no document text: deleted or moved-away text, field code, the VML copy. */
  Skip: 1,
  SectPr: 2,
  // Properties read although the rest of their subtree is skipped.
  GridSpan: 3,
  VMerge: 4,
  HMerge: 5,
  GridBefore: 6,
  GridAfter: 7,
  P: 8,
  PageBreakBefore: 9,
  T: 10,
  Tab: 11,
  Br: 12,
  Cr: 13,
  NoBreakHyphen: 14,
  Sym: 15,
  Sdt: 16,
  SdtPr: 17,
  SdtContent: 18,
  CheckBox: 19,
  Default: 20,
  Checked: 21,
  TxbxContent: 22,
  Tbl: 23,
  GridCol: 24,
  Tr: 25,
  Tc: 26,
  /** Acts only when it closes. */
  FfData: 27,
} as const;

const ACTS = new Map<string, number>([
  ['w:del', Act.Skip],
  ['w:moveFrom', Act.Skip],
  ['w:delText', Act.Skip],
  ['w:instrText', Act.Skip],
  ['w:delInstrText', Act.Skip],
  ['mc:Fallback', Act.Skip],
  ['w:tabs', Act.Skip],
  ['w:tblPr', Act.Skip],
  ['w:sectPr', Act.SectPr],
  ['w:pPrChange', Act.Skip],
  ['w:rPrChange', Act.Skip],
  ['w:footnoteReference', Act.Skip],
  ['w:commentReference', Act.Skip],
  ['w:gridSpan', Act.GridSpan],
  ['w:vMerge', Act.VMerge],
  ['w:hMerge', Act.HMerge],
  ['w:gridBefore', Act.GridBefore],
  ['w:gridAfter', Act.GridAfter],
  ['w:p', Act.P],
  ['w:pageBreakBefore', Act.PageBreakBefore],
  ['w:t', Act.T],
  ['w:tab', Act.Tab],
  ['w:ptab', Act.Tab],
  ['w:br', Act.Br],
  ['w:cr', Act.Cr],
  ['w:noBreakHyphen', Act.NoBreakHyphen],
  ['w:sym', Act.Sym],
  ['w:sdt', Act.Sdt],
  ['w:sdtPr', Act.SdtPr],
  ['w:sdtContent', Act.SdtContent],
  ['w:checkBox', Act.CheckBox],
  ['w:default', Act.Default],
  ['w:checked', Act.Checked],
  ['w:txbxContent', Act.TxbxContent],
  ['w:tbl', Act.Tbl],
  ['w:gridCol', Act.GridCol],
  ['w:tr', Act.Tr],
  ['w:tc', Act.Tc],
  ['w:ffData', Act.FfData],
]);

/**
 * What the handlers do with a `w:` name (its Act), by the slot the scanner cached the name in:
 * an array read instead of a map lookup per tag, and the handlers switch on a number instead of
 * comparing strings. Most tags of a document (run and cell formatting: `w:rPr`, `w:rFonts`,
 * `w:sz`, `w:tcW`…) are Act.None. A slot's entry counts only while the slot holds the same name
 * string. Only names in the main namespace's `w:` prefix are kept, whose meaning no document can
 * change.
 */
const slotNames = new Array<string>(NAME_SLOTS).fill('');
const slotActs = new Uint8Array(NAME_SLOTS);

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
  const reader = new DocumentReader(bytes);
  scanXmlBytes(bytes, reader);
  return { blocks: reader.body, tagged: reader.tagged };
}

function isOn(v: string | undefined): boolean {
  return v === undefined || (v !== '0' && v !== 'false' && v !== 'off');
}

/**
 * The scanner's handler for one document. A class, not closures made per document: the scanner's
 * optimised code inlines the handler it was optimised with, and closures of a document already
 * read were let go, so V8 threw that code away and compiled the scanner again every few hundred
 * parses (a tenth of a parse's instructions went to the compiler).
 */
class DocumentReader implements XmlBytesHandler {
  private readonly canonical = new Map<string, string>();
  private readonly prefixes: Record<string, string> = {};
  private wPrefix = 'w';
  private w14Prefix = 'w14';
  private standardPrefixes = true;
  // The attributes of the tag being opened, decoded only when one of them is read.
  private attrStart = 0;
  private attrEnd = 0;
  private attrText: string | undefined = undefined;

  readonly body: WordBlock[] = [];
  readonly tagged: TaggedText[] = [];
  private readonly containers: WordBlock[][] = [this.body];
  private readonly paragraphs: ParagraphBuffer[] = [];
  private readonly tables: TableFrame[] = [];
  private readonly controls: ContentControl[] = [];
  private tableCount = 0;
  private bodyParagraphCount = 0;
  private skipDepth = 0;
  private inText = false;
  private inSdtPr = 0;
  private pendingFormCheckbox: { default?: boolean; checked?: boolean } | undefined = undefined;
  private started = false;

  constructor(private readonly bytes: Buffer) {}

  private name(raw: string): string {
    // Nearly every file spells the main namespace `w:`; skip the lookup for it.
    if (this.standardPrefixes && raw.charCodeAt(0) === 119 && raw.charCodeAt(1) === 58) return raw;
    let c = this.canonical.get(raw);
    if (c === undefined) {
      const i = raw.indexOf(':');
      const prefix = i < 0 ? '' : raw.slice(0, i);
      const short = this.prefixes[prefix];
      c = short ? `${short}:${raw.slice(i + 1)}` : raw;
      this.canonical.set(raw, c);
    }
    return c;
  }

  private attrs(): string {
    return (this.attrText ??= utf8(this.bytes, this.attrStart, this.attrEnd));
  }

  private wAttr(local: string): string | undefined {
    return attr(this.attrs(), this.wPrefix ? `${this.wPrefix}:${local}` : local);
  }

  private append(s: string): void {
    const p = this.paragraphs[this.paragraphs.length - 1];
    if (!p) return;
    p.text += s;
    p.pieces++;
    for (const c of this.controls) c.capture += s;
  }

  private activeControl(): ContentControl | undefined {
    return this.controls[this.controls.length - 1];
  }

  private hidesText(): boolean {
    return this.controls.some((c) => c.checkbox || c.placeholder);
  }

  private location(): SourceLocation {
    const t = this.tables[this.tables.length - 1];
    if (!t) return { paragraph: this.bodyParagraphCount };
    return { table: t.table.index, row: t.table.rows.length, cell: t.row ? t.row.cells.length : undefined };
  }

  /** The Act of the name's canonical form, from the slot cache when it can be. */
  private acts(raw: string, slot: number): number {
    if (this.standardPrefixes && slot >= 0 && slotNames[slot] === raw) return slotActs[slot];
    const n = this.name(raw);
    const a = ACTS.get(n) ?? Act.None;
    if (
      slot >= 0 &&
      this.standardPrefixes &&
      n === raw &&
      raw.charCodeAt(0) === 119 &&
      raw.charCodeAt(1) === 58
    ) {
      slotNames[slot] = raw;
      slotActs[slot] = a;
    }
    return a;
  }

  open(raw: string, start: number, end: number, selfClosing: boolean, slot: number): void {
    this.attrStart = start;
    this.attrEnd = end;
    this.attrText = undefined;
    this.onOpen(raw, selfClosing, slot);
  }

  // Most tags are empty formatting (`<w:sz w:val="24"/>`): inside a skipped subtree, or with a
  // name neither handler acts on, opening and closing one changes nothing.
  empty(raw: string, start: number, end: number, slot: number): void {
    if (this.started && (this.skipDepth > 0 || (this.inSdtPr === 0 && this.acts(raw, slot) === Act.None)))
      return;
    this.open(raw, start, end, true, slot);
    this.close(raw, slot);
  }

  text(start: number, end: number, decoded: string | undefined): void {
    if (this.inText && this.skipDepth === 0 && !this.hidesText())
      this.append(decoded ?? utf8(this.bytes, start, end));
  }

  private readNamespaces(): void {
    this.started = true;
    for (const [k, v] of Object.entries(allAttrs(this.attrs()))) {
      if (k === 'xmlns' || k.startsWith('xmlns:')) {
        const short = NAMESPACES[v];
        const prefix0 = k === 'xmlns' ? '' : k.slice(6);
        if (prefix0 === 'w' && !short) this.standardPrefixes = false;
        if (short) {
          const prefix = k === 'xmlns' ? '' : k.slice(6);
          this.prefixes[prefix] = short;
          if (short === 'w') this.wPrefix = prefix;
          if (prefix === 'w' && short !== 'w') this.standardPrefixes = false;
          if (short === 'w14') this.w14Prefix = prefix;
        }
      }
    }
    this.canonical.clear();
  }

  private onOpen(raw: string, selfClosing: boolean, slot: number): void {
    if (!this.started) this.readNamespaces();
    // The scanner reports a close for self-closing tags too, so depths count every open.
    if (this.skipDepth > 0) {
      this.skipDepth++;
      return;
    }
    if (this.inSdtPr > 0) {
      this.inSdtPr++;
      const c = this.activeControl();
      if (!c) return;
      const n = this.name(raw);
      if (n === 'w:tag') c.tag = this.wAttr('val');
      else if (n === 'w:showingPlcHdr')
        c.placeholder = this.wAttr('val') !== '0' && this.wAttr('val') !== 'false';
      else if (n === 'w14:checkbox') c.checkbox = true;
      else if (n === 'w14:checked') {
        const val = attr(this.attrs(), `${this.w14Prefix}:val`);
        c.checked = val === '1' || val === 'true';
      }
      return;
    }
    const act = this.acts(raw, slot);
    if (act === Act.None) return;
    const { paragraphs, tables } = this;
    switch (act) {
      case Act.Skip:
        this.skipDepth++;
        return;
      case Act.SectPr: {
        const p = paragraphs[paragraphs.length - 1];
        if (p) p.breakAfter = true;
        this.skipDepth++;
        return;
      }
      case Act.GridSpan:
      case Act.VMerge:
      case Act.HMerge:
      case Act.GridBefore:
      case Act.GridAfter:
        this.readProperty(act);
        this.skipDepth++;
        return;
      case Act.P:
        paragraphs.push({ text: '', pieces: 0, breakBefore: false, breakAfter: false });
        return;
      case Act.PageBreakBefore: {
        const v = this.wAttr('val');
        const p = paragraphs[paragraphs.length - 1];
        if (p && v !== '0' && v !== 'false') p.breakBefore = true;
        return;
      }
      case Act.T:
        if (!selfClosing) this.inText = true;
        return;
      case Act.Tab:
        if (!this.hidesText() && paragraphs.length) this.append('\t');
        return;
      case Act.Br: {
        if (this.hidesText()) return;
        const type = this.wAttr('type');
        if (type === 'page' || type === 'column') {
          const p = paragraphs[paragraphs.length - 1];
          if (p?.pieces) p.breakAfter = true;
          else if (p) p.breakBefore = true;
        } else this.append('\n');
        return;
      }
      case Act.Cr:
        if (!this.hidesText()) this.append('\n');
        return;
      case Act.NoBreakHyphen:
        if (!this.hidesText()) this.append('-');
        return;
      case Act.Sym:
        if (!this.hidesText()) this.append(symbolGlyph(this.wAttr('font'), this.wAttr('char')));
        return;
      case Act.Sdt:
        this.controls.push({ capture: '', location: this.location() });
        return;
      case Act.SdtPr:
        this.inSdtPr = 1;
        return;
      case Act.SdtContent: {
        const c = this.activeControl();
        if (c?.checkbox) this.append(c.checked ? CHECKED_GLYPH : UNCHECKED_GLYPH);
        return;
      }
      case Act.CheckBox:
        this.pendingFormCheckbox = {};
        return;
      case Act.Default:
        if (this.pendingFormCheckbox) this.pendingFormCheckbox.default = isOn(this.wAttr('val'));
        return;
      case Act.Checked:
        if (this.pendingFormCheckbox) this.pendingFormCheckbox.checked = isOn(this.wAttr('val'));
        return;
      case Act.TxbxContent:
        this.containers.push([]);
        paragraphs.push({ text: '', pieces: 0, breakBefore: false, breakAfter: false });
        return;
      case Act.Tbl: {
        const table: WordTable = { kind: 'table', index: this.tableCount++, rows: [], grid: [] };
        tables.push({ table });
        return;
      }
      case Act.GridCol: {
        const t = tables[tables.length - 1];
        if (t) t.table.grid.push(Number(this.wAttr('w') ?? 0));
        return;
      }
      case Act.Tr: {
        const t = tables[tables.length - 1];
        if (t) t.row = { cells: [], gridBefore: 0, gridAfter: 0, index: t.table.rows.length, hMerge: [] };
        return;
      }
      case Act.Tc: {
        const t = tables[tables.length - 1];
        if (!t?.row) return;
        const cell: WordCell = { text: '', gridSpan: 1, col: 0, tables: [], index: t.row.cells.length };
        t.cell = { cell, blocks: [] };
        t.row.hMerge.push(undefined);
        this.containers.push(t.cell.blocks);
        return;
      }
      default:
        return;
    }
  }

  private readProperty(act: number): void {
    const t = this.tables[this.tables.length - 1];
    if (!t?.row) return;
    const val = this.wAttr('val');
    switch (act) {
      case Act.GridBefore:
        t.row.gridBefore = Number(val ?? 0) || 0;
        return;
      case Act.GridAfter:
        t.row.gridAfter = Number(val ?? 0) || 0;
        return;
      case Act.GridSpan:
        if (t.cell) t.cell.cell.gridSpan = Math.max(1, Number(val ?? 1) || 1);
        return;
      case Act.VMerge:
        // A bare <w:vMerge/> continues the merge above.
        if (t.cell) t.cell.cell.vMerge = val === 'restart' ? 'restart' : 'continue';
        return;
      case Act.HMerge:
        if (t.cell) t.row.hMerge[t.row.hMerge.length - 1] = val === 'restart' ? 'restart' : 'continue';
        return;
    }
  }

  private closeParagraph(): void {
    const p = this.paragraphs.pop();
    if (!p) return;
    const container = this.containers[this.containers.length - 1];
    const paragraph: WordParagraph = {
      kind: 'paragraph',
      index: container === this.body ? this.bodyParagraphCount++ : -1,
      text: p.text,
      breakBefore: p.breakBefore,
      breakAfter: p.breakAfter,
    };
    container.push(paragraph);
    for (const c of this.controls) c.capture += '\n';
  }

  close(raw: string, slot: number): void {
    if (this.skipDepth > 0) {
      this.skipDepth--;
      return;
    }
    if (this.inSdtPr > 0) {
      this.inSdtPr--;
      return;
    }
    const act = this.acts(raw, slot);
    if (act === Act.None) return;
    const { tables, containers } = this;
    switch (act) {
      case Act.T:
        this.inText = false;
        return;
      case Act.P:
        this.closeParagraph();
        return;
      case Act.FfData:
        // A legacy FORMCHECKBOX field stores its state here and has no result text.
        if (this.pendingFormCheckbox) {
          const on = this.pendingFormCheckbox.checked ?? this.pendingFormCheckbox.default ?? false;
          this.append(on ? CHECKED_GLYPH : UNCHECKED_GLYPH);
          this.pendingFormCheckbox = undefined;
        }
        return;
      case Act.Sdt: {
        const c = this.controls.pop();
        if (c?.tag)
          this.tagged.push({
            tag: c.tag,
            text: c.capture.replace(/\n$/, ''),
            location: c.location,
          });
        return;
      }
      case Act.TxbxContent: {
        // The text box's own paragraph buffer absorbs stray runs; its paragraphs go before the
        // paragraph that anchors the box, where a reader's eye meets them.
        this.paragraphs.pop();
        const blocks = containers.pop() ?? [];
        containers[containers.length - 1].push(...blocks);
        return;
      }
      case Act.Tc: {
        const t = tables[tables.length - 1];
        if (!t?.row || !t.cell) return;
        containers.pop();
        const { cell, blocks } = t.cell;
        let text: string | undefined;
        for (const b of blocks) {
          if (b.kind === 'table') cell.tables.push(b);
          else text = text === undefined ? b.text : `${text}\n${b.text}`;
        }
        cell.text = text ?? '';
        t.row.cells.push(cell);
        t.cell = undefined;
        return;
      }
      case Act.Tr: {
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
      case Act.Tbl: {
        const t = tables.pop();
        if (t) containers[containers.length - 1].push(t.table);
        return;
      }
      default:
        return;
    }
  }
}
