import type {
  CellField,
  FieldDefinition,
  FormDefinition,
  GridColumn,
  GridField,
  KeyedField,
  KeyedLayoutCell,
  LayoutCell,
  LayoutRow,
  MatrixField,
  ReviewsField,
  ValueType,
} from '@formbridge/definitions';
import { copyList, mapList } from '../arrays';
import { getPath } from '../paths';
import { normaliseDate, toItem, toList } from '../text';
import {
  cellOpen,
  checkbox,
  inlineControl,
  inlineRuns,
  paragraphOpen,
  controlledParagraphs,
  rowOpen,
  runs,
  CELL_MARGIN,
  tableBreak,
  tableOpen,
} from './ooxml';
import { LINE_EM, Style, TABLE_TEXT, TEXT_WIDTH } from './package-parts';
import { labelLines } from './label-lines';
import { LayerTag } from '../tagged-layer';

type Rec = Record<string, unknown>;
/** Appends one piece of the form to the document body for a record. */
type Part = (record: Rec, out: string[]) => void;

/** Room left for a person to fill in an empty line field by hand. */
const BLANK = '\u3000'.repeat(3);
const GAP = '\u3000'.repeat(2);
const COLON = '：';
const KEEP_NEXT = '<w:keepNext/>';
const LINE_BREAK = '<w:r><w:br/></w:r>';

/** Printed width in em: CJK and full-width characters take one, Latin letters and digits half. */
function emWidth(text: string): number {
  let w = 0;
  for (const line of text.split('\n')) {
    let n = 0;
    for (const ch of line) n += ch <= '\u00ff' ? 0.5 : 1;
    w = Math.max(w, n);
  }
  return w;
}

const fail = (def: FormDefinition, why: string) =>
  new Error(`layout of ${def.formType}.${def.edition} is invalid: ${why}`);

/**
 * One form definition compiled into XML: every label, cell and control is turned into a string
 * once, and rendering a record only splices its escaped values between those strings. The
 * layout is checked here too: every field of the definition must be drawn, exactly once.
 */
export class FormRenderer {
  private readonly parts: Part[] = [];
  private readonly placed = new Set<string>();
  private readonly fields = new Map<string, FieldDefinition>();
  /** The table's text: 小四, or 小五 where the definition asks for a compact table. */
  private readonly text;

  constructor(readonly def: FormDefinition) {
    const grid = def.layout.grid;
    const width = grid.reduce((a, b) => a + b, 0);
    if (width > TEXT_WIDTH) throw fail(def, `the grid is ${width} twips wide; the page holds ${TEXT_WIDTH}`);
    this.text = TABLE_TEXT[def.layout.compactTable ? 'compact' : 'standard'];
    for (const f of def.fields) this.fields.set(f.path, f);
    this.compileHeading();
    const table = tableOpen(grid);
    this.parts.push((_r, out) => out.push(table));
    def.layout.rows.forEach((row, i) => this.compileRow(row, i === 0, i === def.layout.rows.length - 1));
    this.parts.push((_r, out) => out.push('</w:tbl>'));
    def.layout.after.forEach((line) => this.compileLine(line));
    const missing = def.fields.map((f) => f.path).filter((p) => !this.placed.has(p));
    if (missing.length) throw fail(def, `it does not draw ${missing.join(', ')}`);
  }

  /** Appends the form's paragraphs and table to `out`; `pageBreak` starts it on a new page. */
  render(record: Rec, out: string[], pageBreak: boolean): void {
    out.push(pageBreak ? this.attachmentOpen[1] : this.attachmentOpen[0]);
    for (const part of this.parts) part(record, out);
  }

  // ---- heading and lines ------------------------------------------------------------------

  private attachmentOpen: [string, string] = ['', ''];

  private compileHeading(): void {
    const { def } = this;
    const attachment = inlineControl(LayerTag.AttachmentLabel);
    this.attachmentOpen = [
      paragraphOpen(Style.Attachment) + attachment.open,
      paragraphOpen(Style.Attachment, '<w:pageBreakBefore/>') + attachment.open,
    ];
    const attachmentClose = `${attachment.close}</w:p>`;
    const title = inlineControl(LayerTag.FormType);
    const titleXml = `${paragraphOpen(Style.Title)}${title.open}${runs(def.title.text)}${title.close}</w:p>`;
    const [beforeYear, afterYear = ''] = def.yearLine.split('{year}');
    const year = inlineControl(LayerTag.Year);
    const yearOpen = `${paragraphOpen(Style.Year)}${runs(beforeYear)}${year.open}`;
    const yearClose = `${year.close}${runs(afterYear)}</w:p>`;
    this.parts.push((r, out) => {
      out.push(
        inlineRuns(String(r.attachmentLabel ?? '')),
        attachmentClose,
        titleXml,
        yearOpen,
        runs(String(r.year ?? '')),
        yearClose,
      );
    });
    def.layout.before.forEach((line) => this.compileLine(line));
  }

  /**
   * `label：value` pieces on one paragraph, each value in its own control. As forms print their
   * signature lines, the first sits flush left, the last flush right and any between centred, on
   * tab stops; when the values are too long for that, the pieces simply follow one another.
   */
  private compileLine(paths: string[]): void {
    const pieces = paths.map((path) => {
      const field = this.field(path, 'line');
      this.place(path);
      const label = field.labels[0];
      const control = inlineControl(path, label);
      return {
        path,
        type: field.type,
        label: runs(label + COLON) + control.open,
        close: control.close,
        width: emWidth(label + COLON),
        blank: this.def.layout.blankLines?.[path] ?? BLANK,
      };
    });
    const width = this.def.layout.grid.reduce((a, b) => a + b, 0);
    const centres = paths.slice(1, -1).map((_, k) => Math.round((width * (k + 1)) / (paths.length - 1)));
    const stops = [
      ...centres.map((c) => `<w:tab w:val="center" w:pos="${c}"/>`),
      `<w:tab w:val="right" w:pos="${width}"/>`,
    ];
    const tabbed = {
      open: paragraphOpen(Style.Line, `<w:tabs>${stops.join('')}</w:tabs>`),
      gap: '<w:r><w:tab/></w:r>',
    };
    const flowing = { open: paragraphOpen(Style.Line), gap: runs(GAP) };
    /** Whether pieces of these widths (in em) sit on their tab stops without touching. */
    const fits = (ems: number[]) => {
      // Each piece's span [lo, hi] against the one before it, in scalars: arrays of them held
      // small integers in one record and fractions in the next, a new hidden class each time.
      let previousHi = 0;
      for (let k = 0; k < ems.length; k++) {
        const x = ems[k] * LINE_EM;
        const last = k === ems.length - 1;
        const lo = k === 0 ? 0 : last ? width - x : centres[k - 1] - x / 2;
        const hi = k === 0 ? x : last ? width : centres[k - 1] + x / 2;
        if (k > 0 && !(previousHi + LINE_EM / 2 <= lo)) return false;
        previousHi = hi;
      }
      return true;
    };
    this.parts.push((r, out) => {
      const texts = mapList(pieces, (p) => {
        const value = getPath(r, p.path);
        return value === null || value === undefined
          ? p.blank
          : this.format(p.type, value as string, p.path).join('\n');
      });
      const ems = mapList(pieces, (p, k) => p.width + emWidth(texts[k]));
      const layout = pieces.length > 1 && fits(ems) ? tabbed : flowing;
      out.push(layout.open);
      // Flowing pieces that would run past the line start a new one, so no value is cut at the
      // margin (填报日期：2023年2 / 月20日).
      let used = 0;
      pieces.forEach((p, k) => {
        if (k > 0) {
          const wraps = layout === flowing && (used + emWidth(GAP) + ems[k]) * LINE_EM > width;
          out.push(wraps ? LINE_BREAK : layout.gap);
          used = wraps ? 0 : used + emWidth(GAP);
        }
        used += ems[k];
        out.push(p.label, inlineRuns(texts[k]), p.close);
      });
      out.push('</w:p>');
    });
  }

  // ---- table rows -------------------------------------------------------------------------

  private compileRow(row: LayoutRow, first: boolean, last: boolean): void {
    if ('cells' in row) this.compileCells(row.cells, row.minHeight);
    else if ('grid' in row) {
      // A grid block is a table of its own, so that its header row repeats on every page it runs onto.
      const split = tableBreak(this.def.layout.grid);
      if (!first) this.parts.push((_r, out) => out.push(split));
      this.compileGrid(row.grid, row.labelSpan ?? 1, row.spans, row.merge ?? [], row.minHeight);
      if (!last) this.parts.push((_r, out) => out.push(split));
    } else if ('keyed' in row) this.compileKeyed(row.keyed, row.rows, row.minHeight);
    else if ('group' in row) this.compileGroup(row.group, row.fields, row.spans, row.minHeight);
    else if ('reviews' in row) this.compileReviews(row.reviews, row.spans, row.minHeight);
    else if ('matrix' in row) this.compileMatrix(row.matrix, row.labelSpan ?? 1, row.spans, row.minHeight);
    else throw fail(this.def, `unknown row ${JSON.stringify(row)}`);
  }

  private width(col: number, span: number): number {
    if (col + span > this.def.layout.grid.length)
      throw fail(this.def, `a cell at column ${col} spanning ${span} runs past the grid`);
    return this.def.layout.grid.slice(col, col + span).reduce((a, b) => a + b, 0);
  }

  private checkRowWidth(used: number, what: string): void {
    if (used !== this.def.layout.grid.length)
      throw fail(this.def, `${what} spans ${used} of ${this.def.layout.grid.length} grid columns`);
  }

  /** How many em of table text a cell of this width holds on one line (less half its border). */
  private room(width: number): number {
    return (width - 2 * CELL_MARGIN - 5) / this.text.em;
  }

  private styleFor(type: ValueType): string {
    return type === 'month' || type === 'date' ? this.text.Centered : this.text.Value;
  }

  /**
   * A label cell: static text, centred. A label wider than its cell is broken into lines between
   * its words (实施期 / 绩效目标), never where the cell happens to end (实施期绩效目 / 标); the
   * parser reads labels without their line breaks.
   */
  private labelCell(
    col: number,
    span: number,
    text: string,
    vMerge?: 'restart' | 'continue',
    keepNext = false,
  ): string {
    const width = this.width(col, span);
    const lines = labelLines(text, this.room(width), emWidth).join('\n');
    return `${cellOpen({ width, span, vMerge })}${paragraphOpen(this.text.Label, keepNext ? KEEP_NEXT : '')}${vMerge === 'continue' ? '' : inlineRuns(lines)}</w:p></w:tc>`;
  }

  private compileCells(cells: LayoutCell[], minHeight?: number): void {
    const pieces: Array<string | Part> = [rowOpen(minHeight)];
    let col = 0;
    for (const cell of cells) {
      const span = cell.span ?? 1;
      if ('label' in cell) pieces.push(this.labelCell(col, span, this.field(cell.label, 'cell').labels[0]));
      else {
        const field = this.field(cell.field, 'cell');
        this.place(field.path);
        pieces.push(
          field.type === 'choice'
            ? this.choiceCell(field, col, span)
            : this.valueCell(field.path, field.type, col, span, field.labels[0]),
        );
      }
      col += span;
    }
    this.checkRowWidth(col, `a row of ${cells.map((c) => ('label' in c ? c.label : c.field)).join(', ')}`);
    pieces.push('</w:tr>');
    this.parts.push(...merge(pieces));
  }

  /** A value cell: one paragraph per line of the value, each in a content control tagged with its path. */
  private valueCell(
    path: string,
    type: ValueType,
    col: number,
    span: number,
    alias: string,
    tag = path,
    style = this.styleFor(type),
  ): Part {
    const value = controlledParagraphs(tag, alias, style);
    const open = cellOpen({ width: this.width(col, span), span });
    return (r, out) => {
      const v = getPath(r, path);
      out.push(open, value(v === null || v === undefined ? [] : this.format(type, v, path)), '</w:tc>');
    };
  }

  /** Each option's label followed by a checkbox control tagged `path=value`. */
  private choiceCell(field: CellField, col: number, span: number): Part {
    const options = (field.options ?? []).map((o, k) => {
      const prefix = `${k > 0 ? runs('\u3000') : ''}${runs(o.labels[0])}`;
      const tag = `${field.path}=${o.value}`;
      return {
        value: o.value,
        on: prefix + checkbox(tag, true, o.labels[0]),
        off: prefix + checkbox(tag, false, o.labels[0]),
      };
    });
    if (!options.length) throw fail(this.def, `choice ${field.path} has no options`);
    const open = cellOpen({ width: this.width(col, span), span }) + paragraphOpen(this.text.Centered);
    return (r, out) => {
      const value = getPath(r, field.path);
      out.push(open);
      for (const o of options) out.push(o.value === value ? o.on : o.off);
      out.push('</w:p></w:tc>');
    };
  }

  private compileGrid(
    path: string,
    labelSpan: number,
    spans: Record<string, number>,
    mergeKeys: string[],
    minHeight?: number,
  ): void {
    const field = this.field(path, 'grid');
    this.place(path);
    let col = labelSpan;
    const header: string[] = [
      rowOpen(minHeight, true, true),
      this.labelCell(0, labelSpan, field.labels[0], 'restart', true),
    ];
    // Derived columns (a target read from its value) are not printed: the parser derives them again.
    const single = field.as === 'object';
    const columns = field.columns
      .filter((c) => !c.derive)
      .map((c) => {
        const span = spans[c.key];
        if (!span) throw fail(this.def, `grid ${path} gives no span for column ${c.key}`);
        header.push(this.labelCell(col, span, c.labels[0], undefined, true));
        const compiled = this.gridColumn(field, c, col, span, mergeKeys.includes(c.key), single);
        col += span;
        return compiled;
      });
    this.checkRowWidth(col, `grid ${path}`);
    const headerXml = `${header.join('')}</w:tr>`;
    const bodyOpen = (keep: boolean) =>
      rowOpen(minHeight) + this.labelCell(0, labelSpan, '', 'continue', keep);
    const bodyOpens = [bodyOpen(false), bodyOpen(true)];
    const standard = field.standardRows;
    this.parts.push((r, out) => {
      out.push(headerXml);
      const rows = single
        ? copyList([(getPath(r, path) as Rec | undefined) ?? {}])
        : withStandardRows((getPath(r, path) as Rec[] | undefined) ?? [], standard);
      const merges = mapList(mergeKeys, (_, j) =>
        mapList(rows, (row, i) => i > 0 && mergeKeys.slice(0, j + 1).every((k) => row[k] === rows[i - 1][k])),
      );
      rows.forEach((row, i) => {
        // A row whose first merged cell runs on into the next row keeps with it, so a merged label
        // (一级指标) never continues on a new page as an empty cell.
        const keep = merges.length > 0 && merges[0][i + 1] === true;
        out.push(bodyOpens[keep ? 1 : 0]);
        for (const c of columns) {
          const m = c.merge ? merges[mergeKeys.indexOf(c.key)] : undefined;
          const vMerge = m ? (m[i] ? 'continue' : m[i + 1] ? 'restart' : undefined) : undefined;
          c.render(row, i + 1, out, vMerge, keep);
        }
        out.push('</w:tr>');
      });
    });
  }

  private gridColumn(
    field: GridField,
    c: GridColumn,
    col: number,
    span: number,
    merge: boolean,
    single: boolean,
  ) {
    const tag = single ? `${field.path}.${c.key}` : `${field.path}[].${c.key}`;
    const style = c.carryDown ? this.text.Centered : this.styleFor(c.type);
    const values = [
      controlledParagraphs(tag, c.labels[0], style),
      controlledParagraphs(tag, c.labels[0], style, KEEP_NEXT),
    ];
    const width = this.width(col, span);
    const opens = { none: cellOpen({ width, span }), restart: cellOpen({ width, span, vMerge: 'restart' }) };
    const continued = [false, true].map(
      (keep) =>
        `${cellOpen({ width, span, vMerge: 'continue' })}${paragraphOpen(style, keep ? KEEP_NEXT : '')}</w:p></w:tc>`,
    );
    return {
      key: c.key,
      merge,
      render: (
        row: Rec,
        n: number,
        out: string[],
        vMerge: 'restart' | 'continue' | undefined,
        keep: boolean,
      ) => {
        if (vMerge === 'continue') {
          out.push(continued[keep ? 1 : 0]);
          return;
        }
        const v = row[c.key];
        const lines = v === null || v === undefined ? [] : this.format(c.type, v, tag, n);
        out.push(vMerge === 'restart' ? opens.restart : opens.none, values[keep ? 1 : 0](lines), '</w:tc>');
      },
    };
  }

  /**
   * `label | corner | column labels` over one row per matrix row: `label | row label | values`,
   * the block's label merged down. `spans` gives `row` (the row labels) and each column.
   */
  private compileMatrix(
    path: string,
    labelSpan: number,
    spans: Record<string, number>,
    minHeight?: number,
  ): void {
    const field = this.field(path, 'matrix');
    this.place(path);
    const rowSpan = spans.row;
    if (!rowSpan) throw fail(this.def, `matrix ${path} gives no span for its row labels`);
    const header: string[] = [
      rowOpen(minHeight, true),
      this.labelCell(0, labelSpan, field.labels[0], 'restart', true),
      this.labelCell(labelSpan, rowSpan, '', undefined, true),
    ];
    let col = labelSpan + rowSpan;
    const columns = field.columns.map((c) => {
      const span = spans[c.key];
      if (!span) throw fail(this.def, `matrix ${path} gives no span for column ${c.key}`);
      header.push(this.labelCell(col, span, c.labels[0], undefined, true));
      const at = { c, col, span };
      col += span;
      return at;
    });
    this.checkRowWidth(col, `matrix ${path}`);
    this.parts.push((_r, out) => out.push(`${header.join('')}</w:tr>`));
    for (const row of field.rows) {
      this.parts.push(
        ...merge([
          rowOpen(minHeight),
          this.labelCell(0, labelSpan, '', 'continue'),
          this.labelCell(labelSpan, rowSpan, row.labels[0]),
          ...columns.map(({ c, col: at, span }) =>
            this.valueCell(
              `${path}.${row.key}.${c.key}`,
              c.type,
              at,
              span,
              c.labels[0],
              undefined,
              this.text.Centered,
            ),
          ),
          '</w:tr>',
        ]),
      );
    }
  }

  private compileKeyed(path: string, rows: KeyedLayoutCell[][], minHeight?: number): void {
    const field = this.field(path, 'keyed');
    this.place(path);
    const drawn = new Set<string>();
    const compiled = rows.map((cells, i) => {
      const pieces: Array<string | Part> = [
        rowOpen(minHeight),
        this.labelCell(0, 1, field.labels[0], i === 0 ? 'restart' : 'continue'),
      ];
      let col = 1;
      for (const cell of cells) {
        const span = cell.span ?? 1;
        if ('caption' in cell) {
          this.structural(cell.caption);
          pieces.push(
            `${cellOpen({ width: this.width(col, span), span })}${paragraphOpen(this.text.Centered)}${runs(cell.caption)}</w:p></w:tc>`,
          );
        } else {
          if (cell.lead) this.structural(cell.lead);
          const lead = cell.lead ? `${paragraphOpen(this.text.Value)}${runs(cell.lead + COLON)}</w:p>` : '';
          const keys = cell.keys.map((k) => {
            const key = field.keys.find((x) => x.path === k);
            if (!key) throw fail(this.def, `keyed ${path} has no key ${k}`);
            drawn.add(k);
            const control = inlineControl(`${path}.${k}`, key.labels[0]);
            return {
              path: `${path}.${k}`,
              type: key.type,
              open: `${paragraphOpen(this.text.Value)}${runs(key.labels[0] + COLON)}${control.open}`,
              close: `${control.close}</w:p>`,
            };
          });
          const open = cellOpen({ width: this.width(col, span), span }) + lead;
          pieces.push((r, out) => {
            out.push(open);
            for (const k of keys) {
              const value = getPath(r, k.path);
              out.push(
                k.open,
                value === null || value === undefined
                  ? ''
                  : runs(this.format(k.type, value, k.path).join(' ')),
                k.close,
              );
            }
            out.push('</w:tc>');
          });
        }
        col += span;
      }
      this.checkRowWidth(col, `keyed ${path} row ${i + 1}`);
      pieces.push('</w:tr>');
      return merge(pieces);
    });
    const missing = field.keys.filter((k) => !drawn.has(k.path));
    if (missing.length)
      throw fail(this.def, `keyed ${path} does not draw ${missing.map((k) => k.path).join(', ')}`);
    for (const parts of compiled) this.parts.push(...parts);
  }

  private compileGroup(
    id: string,
    paths: string[],
    spans: { label: number; value: number },
    minHeight?: number,
  ): void {
    const group = this.def.groups.find((g) => g.id === id);
    if (!group) throw fail(this.def, `no group ${id}`);
    const groupSpan = this.def.layout.grid.length - spans.label - spans.value;
    paths.forEach((path, i) => {
      const field = this.field(path, 'cell');
      if (field.section !== id) throw fail(this.def, `${path} is not in group ${id}`);
      this.place(path);
      this.parts.push(
        ...merge([
          rowOpen(minHeight),
          this.labelCell(0, groupSpan, group.labels[0], i === 0 ? 'restart' : 'continue'),
          this.labelCell(groupSpan, spans.label, field.labels[0]),
          this.valueCell(path, field.type, groupSpan + spans.label, spans.value, field.labels[0]),
          '</w:tr>',
        ]),
      );
    });
  }

  private compileReviews(path: string, spans: { label: number; value: number }, minHeight?: number): void {
    const field = this.field(path, 'reviews');
    this.place(path);
    const { seal, blankDate } = this.def.layout.review;
    if (!this.def.boilerplate.includes(seal))
      throw fail(this.def, `the seal line ${seal} is not boilerplate the parser drops`);
    const groupSpan = this.def.layout.grid.length - spans.label - spans.value;
    const grouped = !!field.groupLabels?.length;
    if (grouped !== groupSpan > 0) throw fail(this.def, `reviews ${path} spans do not match its group label`);
    const authority = inlineControl(`${path}[].authority`);
    // Review rows keep together and with the signature line below the table.
    const opinion = controlledParagraphs(`${path}[].opinion`, undefined, this.text.Value, KEEP_NEXT);
    const date = inlineControl(`${path}[].date`);
    const labelWidth = this.width(groupSpan, spans.label);
    const valueWidth = this.width(groupSpan + spans.label, spans.value);
    const groupCells = grouped
      ? [
          this.labelCell(0, groupSpan, field.groupLabels![0], 'restart'),
          this.labelCell(0, groupSpan, '', 'continue'),
        ]
      : ['', ''];
    const labelOpen = `${cellOpen({ width: labelWidth, span: spans.label })}${paragraphOpen(this.text.Label, KEEP_NEXT)}${authority.open}`;
    const labelClose = `${authority.close}${runs(field.labelSuffix)}</w:p></w:tc>`;
    // An authority too long to share a line with the suffix: the suffix (审核意见) on a line of
    // its own, so the cell never breaks inside it.
    const labelCloseBroken = `${authority.close}<w:r><w:br/></w:r>${runs(field.labelSuffix)}</w:p></w:tc>`;
    const labelRoom = this.room(this.width(groupSpan, spans.label));
    const valueOpen = cellOpen({ width: valueWidth, span: spans.value });
    const { sameLine } = this.def.layout.review;
    const sealXml = sameLine
      ? `${paragraphOpen(this.text.Seal, KEEP_NEXT)}${runs(seal + GAP)}${date.open}`
      : `${paragraphOpen(this.text.Seal, KEEP_NEXT)}${runs(seal)}</w:p>${paragraphOpen(this.text.Seal, KEEP_NEXT)}${date.open}`;
    const valueClose = `${date.close}</w:p></w:tc></w:tr>`;
    const rowXml = rowOpen(minHeight, true);
    const dateFormat = this.def.layout.dates.date;
    this.parts.push((r, out) => {
      const reviews = (getPath(r, path) as Rec[] | undefined) ?? [];
      reviews.forEach((review, i) => {
        const when = review.date as string | null;
        out.push(
          rowXml,
          groupCells[i === 0 ? 0 : 1],
          labelOpen,
          runs(String(review.authority ?? '')),
          emWidth(String(review.authority ?? '') + field.labelSuffix) > labelRoom
            ? labelCloseBroken
            : labelClose,
          valueOpen,
          opinion(review.opinion == null ? [] : String(review.opinion).split('\n')),
          sealXml,
          runs(when == null ? blankDate : formatDate(when, dateFormat, true)),
          valueClose,
        );
      });
    });
  }

  // ---- values -----------------------------------------------------------------------------

  /** The printed lines of a value; each is checked to read back as the value it came from. */
  private format(type: ValueType, value: unknown, path: string, n = 1): string[] {
    const { layout, listItemPrefixes } = this.def;
    switch (type) {
      case 'list':
        return (value as string[]).map((item, i) =>
          numbered(item, i + 1, layout.numbering[path] ?? [], (s) =>
            sameList(toList(s, listItemPrefixes), item),
          ),
        );
      case 'item': {
        const text = String(value);
        return numbered(
          text,
          n,
          layout.numbering[path] ?? [],
          (s) => toItem(s, listItemPrefixes) === text,
        ).split('\n');
      }
      case 'month':
        return [
          formatDate(
            String(value),
            /-\d\d-/.test(String(value)) ? layout.dates.date : layout.dates.month,
            false,
          ),
        ];
      case 'date':
        return [formatDate(String(value), layout.dates.date, true)];
      case 'percent':
        return [`${String(value)}%`];
      default:
        return String(value).split('\n');
    }
  }

  private field(path: string, kind: 'cell'): CellField;
  private field(path: string, kind: 'line'): CellField;
  private field(path: string, kind: 'grid'): GridField;
  private field(path: string, kind: 'keyed'): KeyedField;
  private field(path: string, kind: 'reviews'): ReviewsField;
  private field(path: string, kind: 'matrix'): MatrixField;
  private field(path: string, kind: FieldDefinition['kind']): FieldDefinition {
    const f = this.fields.get(path);
    if (!f || f.kind !== kind) throw fail(this.def, `no ${kind} field ${path}`);
    return f;
  }

  private place(path: string): void {
    if (this.placed.has(path)) throw fail(this.def, `${path} is drawn twice`);
    this.placed.add(path);
  }

  private structural(text: string): void {
    if (!this.def.structuralLabels.includes(text))
      throw fail(this.def, `caption ${text} is not one of the structural labels`);
  }
}

/** Joins adjacent static strings so rendering pushes as few pieces as possible. */
function merge(pieces: Array<string | Part>): Part[] {
  const out: Part[] = [];
  let text = '';
  for (const p of pieces) {
    if (typeof p === 'string') text += p;
    else {
      if (text) {
        const t = text;
        out.push((_r, o) => o.push(t));
        text = '';
      }
      out.push(p);
    }
  }
  if (text) out.push((_r, o) => o.push(text));
  return out;
}

function sameList(items: string[], item: string): boolean {
  return items.length === 1 && items[0] === item;
}

/** The first numbering style whose printed item the parser reads back unchanged; none when no style does. */
function numbered(
  item: string,
  n: number,
  styles: string[],
  readsBack: (printed: string) => boolean,
): string {
  for (const style of styles) {
    const printed = style.replace('{n}', String(n)) + item;
    if (readsBack(printed)) return printed;
  }
  return item;
}

const ISO = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

/** `2019-01` → `2019年1月`, when the parser reads that back as the same value; otherwise as stored. */
function formatDate(value: string, format: string, dateOnly: boolean): string {
  const m = ISO.exec(value);
  if (!m) return value;
  const printed = format
    .replace('{y}', m[1])
    .replace('{m}', String(Number(m[2])))
    .replace('{d}', String(Number(m[3] ?? 1)));
  return normaliseDate(printed, dateOnly).value === value ? printed : value;
}

/**
 * Grid rows as drawn: the record's items in order, plus every standard row of the edition the
 * record does not fill, each empty row put where it belongs among the standard rows around it
 * (the first gap between an earlier and a later standard row). `null` cells are drawn empty, and
 * the parser drops rows left empty, so they add nothing to the record.
 */
export function withStandardRows(items: Rec[], standard: GridField['standardRows']): Rec[] {
  if (standard === undefined) return copyList(items);
  if (typeof standard === 'number') {
    const out = copyList(items);
    while (out.length < standard) out.push({});
    return out;
  }
  const indexOf = (row: Rec) => standard.findIndex((s) => Object.entries(s).every(([k, v]) => row[k] === v));
  const out = mapList(items, (row) => ({ row, at: indexOf(row) }));
  const slot = (k: number): number => {
    // Standard rows in standard order frame the gaps; a row out of that order (a second quantity
    // indicator listed last) is passed over like a row of no standard at all.
    let highest = -1;
    const framing = mapList(out, (o) => {
      if (o.at < 0 || o.at < highest) return false;
      highest = o.at;
      return true;
    });
    const before = (i: number) => {
      for (let j = i - 1; j >= 0; j--) if (framing[j]) return out[j].at;
      return -1;
    };
    for (let i = 0; i <= out.length; i++) {
      const next = out.findIndex((o, j) => j >= i && framing[j]);
      if (before(i) < k && (next < 0 || out[next].at > k)) return i;
    }
    // Items out of the standard order leave no such gap: after the last earlier standard row.
    let pos = 0;
    out.forEach((o, i) => {
      if (o.at >= 0 && o.at < k) pos = i + 1;
    });
    return pos;
  };
  standard.forEach((s, k) => {
    if (!out.some((o) => o.at === k)) out.splice(slot(k), 0, { row: { ...s }, at: k });
  });
  return mapList(out, (o) => o.row);
}
