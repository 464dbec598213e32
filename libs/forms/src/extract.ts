import type { CellField, ValueType } from '@formbridge/definitions';
import type { SourceLocation, WordBlock, WordParagraph } from '@formbridge/word';
import { CompiledDefinition, UNIT_PATH } from './compiled-definition';
import { convertValue, readUnit } from './convert';
import { GridCell, GridRow, layoutTable } from './layout';
import { getPath, setPath } from './paths';
import { reviewOf, Review } from './reviews';
import { ColumnSpan, ReadContext, Section, bestColumn, readGrid, readKeyed, readMatrix } from './sections';
import { cleanText, isCheckboxGlyph, isCheckedGlyph, labelKey, trimText } from './text';
import { ParseWarning, WarningCode } from './warnings';

export { CompiledDefinition } from './compiled-definition';
export { convertValue } from './convert';
export { getPath, setPath } from './paths';

interface Source {
  text: string;
  location: SourceLocation;
  consumed: boolean;
  cell?: GridCell;
}

export interface Extraction {
  record: Record<string, unknown>;
  warnings: ParseWarning[];
  locations: Map<string, SourceLocation>;
  /** Weights printed in labels, for the `labelWeight` checks. */
  labelWeights: Map<string, string>;
}

/** Reads one form (its slice of the document) into a record, collecting warnings. */
export class FormExtractor implements ReadContext {
  private readonly record: Record<string, unknown> = {};
  private readonly found = new Map<string, SourceLocation>();
  private readonly warnings: ParseWarning[] = [];
  private readonly consumed = new Set<GridCell>();
  private readonly reviews: Review[] = [];
  readonly gridColumns = new Map<string, ColumnSpan[]>();
  readonly labelWeights = new Map<string, string>();
  unit = '万元';
  /** Set when a label ends its row with no value: the next row may hold the value. */
  private below?: (text: string, location: SourceLocation) => void;

  constructor(
    readonly c: CompiledDefinition,
    private readonly recordIndex: number,
  ) {}

  extract(blocks: WordBlock[]): Extraction {
    const paragraphs: Source[] = [];
    const rows: GridRow[] = [];
    let firstTableRows = -1;
    const before: Source[] = [];
    for (const b of blocks) {
      if (b.kind === 'paragraph') {
        const s = paragraphSource(b);
        paragraphs.push(s);
        if (firstTableRows < 0) before.push(s);
      } else {
        const laid = layoutTable(b);
        if (firstTableRows < 0) firstTableRows = laid.length;
        rows.push(...laid);
      }
    }
    // Some producers put the attachment label, title and year line in the table's top rows.
    const topCells = rows
      .slice(0, Math.min(3, Math.max(0, firstTableRows)))
      .flatMap((r) =>
        r.cells.filter((c) => !c.continued && !this.isLabel(c.text)).map((c) => this.cellSource(c)),
      );
    this.readHeading([...before, ...topCells], [...paragraphs, ...topCells]);
    this.readUnitLine([...paragraphs, ...rows.flatMap((r) => r.cells.map((c) => this.cellSource(c)))]);
    this.readRows(rows);
    const loose: Source[] = [
      ...paragraphs.filter((p) => !p.consumed),
      ...rows.flatMap((r) =>
        r.cells.filter((c) => !this.consumed.has(c) && !c.continued).map((c) => this.cellSource(c)),
      ),
    ];
    this.readInline(loose);
    this.reportLeftovers(loose);
    return {
      record: this.assemble(),
      warnings: this.warnings,
      locations: this.found,
      labelWeights: this.labelWeights,
    };
  }

  warn(code: WarningCode, message: string, path: string | null, location: SourceLocation | null): void {
    this.warnings.push({ code, message, recordIndex: this.recordIndex, path, location });
  }

  consume(cell: GridCell): void {
    this.consumed.add(cell);
  }

  locate(path: string, location: SourceLocation): void {
    this.found.set(path, location);
  }

  private cellSource(cell: GridCell): Source {
    return { text: cell.text, location: cell.location, consumed: this.consumed.has(cell), cell };
  }

  private consumeSource(s: Source): void {
    s.consumed = true;
    if (s.cell) this.consumed.add(s.cell);
  }

  private readHeading(before: Source[], all: Source[]): void {
    const { def } = this.c;
    const attachment = all.find((p) => this.c.isAttachment(p.text));
    if (attachment) {
      this.consumeSource(attachment);
      this.set('attachmentLabel', labelKey(attachment.text), attachment.location);
    } else {
      this.set('attachmentLabel', def.attachmentLabel.default, null);
      // A form type that carries no attachment label on its official layout assumes none.
      if (def.attachmentLabel.default !== null)
        this.warn(
          WarningCode.AttachmentLabelMissing,
          `no ${def.attachmentLabel.default} label found; assumed it`,
          '$.attachmentLabel',
          null,
        );
    }
    const title = all.find((p) => this.c.isTitle(p.text));
    if (title) this.consumeSource(title);
    for (const p of title ? [title, ...before] : before) {
      const m = this.c.year.exec(p.text.normalize('NFKC'));
      if (m) {
        this.set('year', Number(m.slice(1).find((g) => g !== undefined)), p.location);
        const rest =
          p === title
            ? ''
            : p.text
                .normalize('NFKC')
                .replace(this.c.year, '')
                .replace(/[()（）\s\u3000]/gu, '');
        if (!rest) this.consumeSource(p);
        return;
      }
    }
    this.set('year', null, null);
    this.warn(WarningCode.YearMissing, `no year line such as ${def.yearLine} was found`, '$.year', null);
  }

  /** `单位：元` anywhere on the form: amounts written without a unit are in it. */
  private readUnitLine(sources: Source[]): void {
    if (!this.c.def.amountUnit) return;
    for (const s of sources) {
      const text = s.text.normalize('NFC');
      if (text.indexOf('：') < 0 && text.indexOf(':') < 0) continue;
      const matches = this.c.inlineMatches(text);
      matches.forEach((m, k) => {
        if (this.c.inlineFields.get(labelKey(m[1]))?.path !== UNIT_PATH) return;
        // `预算单位：…` is not a unit line: the label must stand on its own.
        if (/[\p{Script=Han}A-Za-z]$/u.test(text.slice(0, m.index))) return;
        const end = k + 1 < matches.length ? matches[k + 1].index : text.length;
        this.unit = readUnit(text.slice((m.index ?? 0) + m[0].length, end), (code, message) =>
          this.warn(code, message, null, s.location),
        );
      });
    }
  }

  set(path: string, value: unknown, location: SourceLocation | null): void {
    if (this.found.has(path)) {
      const existing = getPath(this.record, path);
      const empty = (v: unknown) => v === null || (Array.isArray(v) && v.length === 0);
      if (!empty(existing)) {
        if (!empty(value)) {
          this.warn(
            WarningCode.DuplicateField,
            `${path} appears twice; kept the first value`,
            `$.${path}`,
            location,
          );
        }
        return;
      }
    }
    setPath(this.record, path, value);
    if (location) this.found.set(path, location);
    else if (!this.found.has(path)) this.found.set(path, {});
  }

  // ---- table rows -------------------------------------------------------------------------

  private readRows(rows: GridRow[]): void {
    let section: Section | undefined;
    for (const row of rows) {
      const below = this.below;
      this.below = undefined;
      if (below && !section && this.takeBelow(below, row)) continue;
      const first = row.cells[0];
      if (section && this.belongs(section, first)) {
        section.rows.push(row);
        continue;
      }
      if (section) this.finishSection(section);
      section = undefined;
      const found = first.continued ? undefined : this.c.target(first.text);
      const target = found?.target;
      if (target?.kind === 'grid' || target?.kind === 'keyed' || target?.kind === 'matrix') {
        this.consumed.add(first);
        section = {
          field: target.field,
          col: first.col,
          byHeader: false,
          rows: [row],
          label: first,
          unit: found?.unit ?? this.unit,
        };
        continue;
      }
      if (target?.kind === 'header' && this.headerCount(row, target.field) >= 2) {
        section = { field: target.field, col: first.col, byHeader: true, rows: [row], unit: this.unit };
        continue;
      }
      this.readPairs(row.cells);
    }
    if (section) this.finishSection(section);
  }

  /** A label alone at the end of its row may have its value in the row beneath it. */
  private takeBelow(below: (text: string, location: SourceLocation) => void, row: GridRow): boolean {
    const cells = row.cells.filter((c) => !c.continued);
    if (!cells.length || cells.some((c) => this.isLabel(c.text)) || !cells.some((c) => trimText(c.text)))
      return false;
    cells.forEach((c) => this.consumed.add(c));
    below(cells.map((c) => c.text).join('\n'), cells[0].location);
    return true;
  }

  private belongs(section: Section, first: GridCell): boolean {
    if (first.continued || !trimText(first.text) || first.col > section.col + 1e-9) return true;
    if (!section.byHeader) return false;
    const t = this.c.target(first.text)?.target;
    return t === undefined || (t.kind === 'header' && t.field === section.field);
  }

  private headerCount(row: GridRow, field: Section['field']): number {
    return row.cells.filter((c) => {
      const t = this.c.target(c.text)?.target;
      return t?.kind === 'header' && t.field === field;
    }).length;
  }

  private finishSection(section: Section): void {
    const { field } = section;
    if (field.kind === 'grid') readGrid(this, section, field);
    else if (field.kind === 'matrix') readMatrix(this, section, field);
    else readKeyed(this, section, field);
  }

  /** Label cells and the value cells to their right: `专项名称 | X | 专项属性 | Y`. */
  private readPairs(cells: GridCell[]): void {
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell.continued || this.consumed.has(cell) || !trimText(cell.text)) continue;
      const found = this.c.target(cell.text);
      const target = found?.target;
      if (target?.kind === 'group' || target?.kind === 'structural') {
        this.consumed.add(cell);
        continue;
      }
      if (target?.kind === 'field') {
        this.consumed.add(cell);
        const field = target.field;
        const values = this.valueCells(cells, i + 1);
        if (values.length === 0 && i === cells.length - 1) {
          this.below = (text, location) => this.assign(field, text, location, found?.unit);
          continue;
        }
        values.forEach((v) => this.consumed.add(v));
        const taken = this.underColumn(field, values);
        const joiner = field.type === 'choice' ? ' ' : '\n';
        this.assign(field, textsOf(taken, joiner), taken[0]?.location ?? cell.location, found?.unit);
        continue;
      }
      const authority = this.c.reviewAuthority(cell.text);
      if (authority !== undefined) {
        this.consumed.add(cell);
        const values = this.valueCells(cells, i + 1);
        // A review label followed by another review label heads a group of reviews.
        if (values.length === 0 && cells[i + 1] && this.c.reviewAuthority(cells[i + 1].text) !== undefined)
          continue;
        if (values.length === 0 && i === cells.length - 1) {
          const index = this.reviews.length;
          this.addReview(authority, '', cell.location);
          this.below = (text, location) => {
            this.reviews[index] = reviewOf(this.c, authority, text);
            this.found.set(`reviews[${index}]`, location);
          };
          continue;
        }
        values.forEach((v) => this.consumed.add(v));
        this.addReview(authority, textsOf(values, '\n'), values[0]?.location ?? cell.location);
      }
    }
  }

  /** A total row beneath a grid (`总分 | 100 | 94.92`): the value is the cell under its column. */
  private underColumn(field: CellField, values: GridCell[]): GridCell[] {
    if (!field.underColumn || values.length < 2) return values;
    const column = this.gridColumns
      .get(field.underColumn.grid)
      ?.find((c) => c.key === field.underColumn!.column);
    if (!column) return values;
    const hit = values.filter((v) => bestColumn([column], v) !== undefined && trimText(v.text));
    return hit.length ? hit : values;
  }

  /** The cells after a label up to the next label: the label's value. */
  private valueCells(cells: GridCell[], from: number): GridCell[] {
    const out: GridCell[] = [];
    for (let j = from; j < cells.length; j++) {
      const c = cells[j];
      if (this.isLabel(c.text)) break;
      if (!c.continued) out.push(c);
    }
    return out;
  }

  private isLabel(text: string): boolean {
    return this.c.target(text) !== undefined || this.c.reviewAuthority(text) !== undefined;
  }

  private assign(field: CellField, raw: string, location: SourceLocation, unit?: string): void {
    const path = field.path;
    const value =
      field.type === 'choice'
        ? this.choose(field.options ?? [], raw, `$.${path}`, location)
        : this.convert(field.type, raw, `$.${path}`, location, unit);
    this.set(path, value, location);
  }

  convert(type: ValueType, raw: string, path: string, location: SourceLocation, unit?: string): unknown {
    if (type === 'choice') return cleanText(raw);
    return convertValue(
      this.c,
      type,
      raw,
      (code, message) => this.warn(code, message, path, location),
      unit ?? this.unit,
    );
  }

  /** `延续专项☑ 新增专项□` or `☑延续专项 □新增专项`: the glyph beside each option says whether it is ticked. */
  private choose(
    options: NonNullable<CellField['options']>,
    raw: string,
    path: string,
    location: SourceLocation,
  ): string | null {
    const text = raw.normalize('NFC');
    const hits: Array<{ value: string; at: number; end: number }> = [];
    for (const o of this.c.choicePatterns(options)) {
      for (const pattern of o.patterns) {
        const m = pattern.exec(text);
        if (m && !hits.some((h) => m.index < h.end && m.index + m[0].length > h.at)) {
          hits.push({ value: o.value, at: m.index, end: m.index + m[0].length });
          break;
        }
      }
    }
    const glyphs: Array<{ ch: string; i: number }> = [];
    let i = 0;
    for (const ch of text) {
      if (isCheckboxGlyph(ch)) glyphs.push({ ch, i });
      i++;
    }
    hits.sort((a, b) => a.at - b.at);
    if (!glyphs.length) {
      // No boxes at all: a single option written out is the choice.
      return hits.length === 1 &&
        cleanText(text) !== null &&
        labelKey(text).length <= labelKey(text.slice(hits[0].at, hits[0].end)).length
        ? hits[0].value
        : null;
    }
    const glyphBefore = hits.length > 0 && glyphs[0].i < hits[0].at;
    const chosen = hits.filter((h, k) => {
      const lo = glyphBefore ? (k > 0 ? hits[k - 1].end : 0) : h.end;
      const hi = glyphBefore ? h.at : (hits[k + 1]?.at ?? text.length);
      const own = glyphs.filter((g) => g.i >= lo && g.i < hi);
      return own.some((g) => isCheckedGlyph(g.ch));
    });
    if (chosen.length > 1) {
      this.warn(
        WarningCode.AmbiguousChoice,
        `more than one option is ticked in "${trimText(text)}"`,
        path,
        location,
      );
      return null;
    }
    return chosen[0]?.value ?? null;
  }

  private addReview(authority: string, raw: string, location: SourceLocation): void {
    const index = this.reviews.length;
    this.reviews.push(reviewOf(this.c, authority, raw));
    this.found.set(`reviews[${index}]`, location);
  }

  // ---- lines outside the table ------------------------------------------------------------

  /** `填报人：A  联系电话：B  填报日期：C`, in paragraphs or in cells no label took. */
  private readInline(sources: Source[]): void {
    for (const s of sources) {
      const text = s.text.normalize('NFC');
      const whole = this.c.inlineFields.get(labelKey(text));
      if (whole) {
        this.consumeSource(s);
        if (whole.path !== UNIT_PATH)
          this.setIfAbsent(whole.path, whole.type === 'list' ? [] : null, s.location);
        continue;
      }
      if (text.indexOf('：') < 0 && text.indexOf(':') < 0) continue;
      const matches = this.c.inlineMatches(text);
      if (!matches.length) continue;
      const leading = cleanText(this.c.stripBoilerplate(text.slice(0, matches[0].index)));
      if (leading) continue;
      this.consumeSource(s);
      matches.forEach((m, k) => {
        const field = this.c.inlineFields.get(labelKey(m[1]));
        if (!field || field.path === UNIT_PATH) return;
        const end = k + 1 < matches.length ? matches[k + 1].index : text.length;
        const raw = this.c.stripBoilerplate(text.slice((m.index ?? 0) + m[0].length, end));
        this.assign(field, raw, s.location);
      });
    }
  }

  private setIfAbsent(path: string, value: unknown, location: SourceLocation): void {
    if (!this.found.has(path)) this.set(path, value, location);
  }

  private reportLeftovers(sources: Source[]): void {
    for (const s of sources) {
      if (s.consumed) continue;
      const text = cleanText(this.c.stripBoilerplate(s.text));
      // Rules and separators (——, ＿＿＿, ***) carry no letters or digits: layout, not data.
      if (!text || !/[\p{L}\p{N}]/u.test(text)) continue;
      this.warn(
        WarningCode.UnconsumedText,
        `text no field took: "${text.length > 60 ? `${text.slice(0, 60)}…` : text}"`,
        null,
        s.location,
      );
    }
  }

  // ---- the record -------------------------------------------------------------------------

  private assemble(): Record<string, unknown> {
    const { def } = this.c;
    const out: Record<string, unknown> = { formType: def.formType };
    const copy = (path: string, fallback: unknown) => {
      const v = getPath(this.record, path);
      setPath(out, path, v === undefined ? fallback : v);
    };
    copy('attachmentLabel', def.attachmentLabel.default);
    copy('year', null);
    for (const f of def.fields) {
      switch (f.kind) {
        case 'reviews':
          setPath(out, f.path, this.reviews);
          break;
        case 'grid':
          copy(f.path, f.as === 'object' ? Object.fromEntries(f.columns.map((c) => [c.key, null])) : []);
          break;
        case 'matrix':
          for (const r of f.rows) for (const c of f.columns) copy(`${f.path}.${r.key}.${c.key}`, null);
          break;
        case 'keyed':
          for (const k of f.keys) {
            const path = `${f.path}.${k.path}`;
            copy(path, null);
            if (k.required && getPath(out, path) === null) this.requiredWarning(path);
          }
          break;
        default:
          copy(f.path, f.type === 'list' ? [] : null);
          if (f.required && getPath(out, f.path) === null) this.requiredWarning(f.path);
      }
    }
    return out;
  }

  private requiredWarning(path: string): void {
    this.warn(
      WarningCode.RequiredFieldEmpty,
      `${path} is required but the form leaves it empty`,
      `$.${path}`,
      this.found.get(path) ?? null,
    );
  }
}

function paragraphSource(p: WordParagraph): Source {
  return { text: p.text, location: { paragraph: p.index }, consumed: false };
}

/**
 * Cells' texts joined: a loop, not `map().join()`, whose arrays reached the optimised code with a
 * hidden class it had not seen (docs/bench.md, "Thirteenth look").
 */
function textsOf(cells: ReadonlyArray<{ text: string }>, joiner: string): string {
  let out = '';
  for (let i = 0; i < cells.length; i++) out = i ? `${out}${joiner}${cells[i].text}` : cells[i].text;
  return out;
}
