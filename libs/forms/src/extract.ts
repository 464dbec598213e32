import type {
  CellField,
  FieldDefinition,
  FormDefinition,
  GridField,
  KeyedField,
  ReviewsField,
  ValueType,
} from '@formbridge/definitions';
import type { SourceLocation, WordBlock, WordParagraph } from '@formbridge/word';
import { GridCell, GridRow, layoutTable } from './layout';
import {
  BLANK_DATE,
  CHINESE_DATE,
  EMBEDDED_DATE,
  arabicDate,
  cleanText,
  isCheckboxGlyph,
  isCheckedGlyph,
  labelKey,
  labelPattern,
  normaliseAmount,
  normaliseDate,
  toItem,
  toList,
  trimText,
} from './text';
import { ParseWarning, WarningCode } from './warnings';

type Target =
  | { kind: 'field'; field: CellField }
  | { kind: 'grid'; field: GridField }
  | { kind: 'header'; field: GridField }
  | { kind: 'keyed'; field: KeyedField }
  | { kind: 'group' }
  | { kind: 'structural' };

/** Everything about a definition the reader needs, compiled once. */
export class CompiledDefinition {
  readonly labels = new Map<string, Target>();
  readonly titleKeys: string[];
  readonly attachment: RegExp;
  readonly year: RegExp;
  readonly reviews?: ReviewsField;
  readonly inline: RegExp;
  readonly inlineFields = new Map<string, CellField>();
  readonly boilerplate: RegExp[];
  readonly keyPatterns = new Map<string, RegExp[]>();

  constructor(readonly def: FormDefinition) {
    this.titleKeys = def.title.variants.map(labelKey).sort((a, b) => b.length - a.length);
    this.attachment = new RegExp(def.attachmentLabel.pattern, 'u');
    this.year = new RegExp(def.yearPattern, 'u');
    const add = (label: string, t: Target) => {
      const k = labelKey(label);
      if (!this.labels.has(k)) this.labels.set(k, t);
    };
    const inlineLabels: string[] = [];
    for (const f of def.fields) {
      switch (f.kind) {
        case 'cell':
        case 'line':
          for (const l of f.labels) {
            add(l, { kind: 'field', field: f });
            this.inlineFields.set(labelKey(l), f);
            inlineLabels.push(l);
          }
          break;
        case 'grid':
          f.labels.forEach((l) => add(l, { kind: 'grid', field: f }));
          f.columns.forEach((c) => c.labels.forEach((l) => add(l, { kind: 'header', field: f })));
          break;
        case 'keyed':
          f.labels.forEach((l) => add(l, { kind: 'keyed', field: f }));
          for (const k of f.keys) {
            this.keyPatterns.set(
              k.path,
              [...k.labels]
                .sort((a, b) => b.length - a.length)
                .map(
                  (l) =>
                    new RegExp(
                      `${labelPattern(l)}[\\s\\u3000]*[:：]?[\\s\\u3000]*([-+]?[0-9０-９][0-9０-９,，.．]*[\\s\\u3000]*(?:万元|万|元)?)?`,
                      'u',
                    ),
                ),
            );
          }
          break;
        case 'reviews':
          this.reviews = f;
          f.groupLabels?.forEach((l) => add(l, { kind: 'group' }));
          break;
      }
    }
    def.groups.forEach((g) => g.labels.forEach((l) => add(l, { kind: 'group' })));
    def.structuralLabels.forEach((l) => add(l, { kind: 'structural' }));
    inlineLabels.sort((a, b) => labelKey(b).length - labelKey(a).length);
    this.inline = new RegExp(`(${inlineLabels.map(labelPattern).join('|')})[\\s\\u3000]*[:：]`, 'gu');
    this.boilerplate = [...def.boilerplate]
      .sort((a, b) => b.length - a.length)
      .map((b) => new RegExp(labelPattern(b), 'gu'));
  }

  isTitle(text: string): boolean {
    const key = labelKey(text);
    if (!key) return false;
    return this.titleKeys.some((t) => key.includes(t) && key.length <= t.length + 16);
  }

  isAttachment(text: string): boolean {
    return this.attachment.test(labelKey(text));
  }

  reviewAuthority(text: string): string | undefined {
    if (!this.reviews) return undefined;
    const key = labelKey(text);
    const suffix = labelKey(this.reviews.labelSuffix);
    return key.length > suffix.length && key.endsWith(suffix) ? key.slice(0, -suffix.length) : undefined;
  }

  stripBoilerplate(text: string): string {
    let s = text;
    for (const b of this.boilerplate) s = s.replace(b, ' ');
    return s.replace(BLANK_DATE, ' ');
  }
}

interface Source {
  text: string;
  location: SourceLocation;
  consumed: boolean;
  cell?: GridCell;
}

interface Section {
  field: GridField | KeyedField;
  col: number;
  byHeader: boolean;
  rows: GridRow[];
  label?: GridCell;
}

/** Reads one form (its slice of the document) into a record, collecting warnings. */
export class FormExtractor {
  private readonly record: Record<string, unknown> = {};
  private readonly found = new Map<string, SourceLocation>();
  private readonly warnings: ParseWarning[] = [];
  private readonly consumed = new Set<GridCell>();
  private readonly reviews: Array<{ authority: string; opinion: string | null; date: string | null }> = [];
  /** Set when a label ends its row with no value: the next row may hold the value. */
  private below?: (text: string, location: SourceLocation) => void;

  constructor(
    private readonly c: CompiledDefinition,
    private readonly recordIndex: number,
  ) {}

  extract(blocks: WordBlock[]): {
    record: Record<string, unknown>;
    warnings: ParseWarning[];
    locations: Map<string, SourceLocation>;
  } {
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
    this.readRows(rows);
    const loose: Source[] = [
      ...paragraphs.filter((p) => !p.consumed),
      ...rows.flatMap((r) =>
        r.cells.filter((c) => !this.consumed.has(c) && !c.continued).map((c) => this.cellSource(c)),
      ),
    ];
    this.readInline(loose);
    this.reportLeftovers(loose);
    return { record: this.assemble(), warnings: this.warnings, locations: this.found };
  }

  private warn(
    code: WarningCode,
    message: string,
    path: string | null,
    location: SourceLocation | null,
  ): void {
    this.warnings.push({ code, message, recordIndex: this.recordIndex, path, location });
  }

  private cellSource(cell: GridCell): Source {
    return { text: cell.text, location: cell.location, consumed: this.consumed.has(cell), cell };
  }

  private consume(s: Source): void {
    s.consumed = true;
    if (s.cell) this.consumed.add(s.cell);
  }

  private readHeading(before: Source[], all: Source[]): void {
    const { def } = this.c;
    const attachment = all.find((p) => this.c.isAttachment(p.text));
    if (attachment) {
      this.consume(attachment);
      this.set('attachmentLabel', labelKey(attachment.text), attachment.location);
    } else {
      this.set('attachmentLabel', def.attachmentLabel.default, null);
      this.warn(
        WarningCode.AttachmentLabelMissing,
        `no ${def.attachmentLabel.default} label found; assumed it`,
        '$.attachmentLabel',
        null,
      );
    }
    const title = all.find((p) => this.c.isTitle(p.text));
    if (title) this.consume(title);
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
        if (!rest) this.consume(p);
        return;
      }
    }
    this.set('year', null, null);
    this.warn(WarningCode.YearMissing, `no year line such as ${def.yearLine} was found`, '$.year', null);
  }

  private set(path: string, value: unknown, location: SourceLocation | null): void {
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
      const target = first.continued ? undefined : this.c.labels.get(labelKey(first.text));
      if (target?.kind === 'grid' || target?.kind === 'keyed') {
        this.consumed.add(first);
        section = { field: target.field, col: first.col, byHeader: false, rows: [row], label: first };
        continue;
      }
      if (target?.kind === 'header' && this.headerCount(row, target.field) >= 2) {
        section = { field: target.field, col: first.col, byHeader: true, rows: [row] };
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
    const t = this.c.labels.get(labelKey(first.text));
    return t === undefined || (t.kind === 'header' && t.field === section.field);
  }

  private headerCount(row: GridRow, field: GridField): number {
    return row.cells.filter((c) => {
      const t = this.c.labels.get(labelKey(c.text));
      return t?.kind === 'header' && t.field === field;
    }).length;
  }

  /** Label cells and the value cells to their right: `专项名称 | X | 专项属性 | Y`. */
  private readPairs(cells: GridCell[]): void {
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i];
      if (cell.continued || this.consumed.has(cell) || !trimText(cell.text)) continue;
      const key = labelKey(cell.text);
      const target = this.c.labels.get(key);
      if (target?.kind === 'group' || target?.kind === 'structural') {
        this.consumed.add(cell);
        continue;
      }
      if (target?.kind === 'field') {
        this.consumed.add(cell);
        const values = this.valueCells(cells, i + 1);
        if (values.length === 0 && i === cells.length - 1) {
          this.below = (text, location) => this.assign(target.field, text, location);
          continue;
        }
        values.forEach((v) => this.consumed.add(v));
        const joiner = target.field.type === 'choice' ? ' ' : '\n';
        this.assign(
          target.field,
          values.map((v) => v.text).join(joiner),
          values[0]?.location ?? cell.location,
        );
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
            this.reviews[index] = this.reviewOf(authority, text);
            this.found.set(`reviews[${index}]`, location);
          };
          continue;
        }
        values.forEach((v) => this.consumed.add(v));
        this.addReview(authority, values.map((v) => v.text).join('\n'), values[0]?.location ?? cell.location);
      }
    }
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
    const key = labelKey(text);
    return key.length > 0 && (this.c.labels.has(key) || this.c.reviewAuthority(text) !== undefined);
  }

  private assign(field: CellField, raw: string, location: SourceLocation): void {
    const path = field.path;
    const value = this.convert(field.type, raw, `$.${path}`, location, field);
    this.set(path, value, location);
  }

  private convert(
    type: ValueType,
    raw: string,
    path: string,
    location: SourceLocation,
    field?: CellField,
  ): unknown {
    if (type === 'choice') return this.choose(field?.options ?? [], raw, path, location);
    return convertValue(this.c, type, raw, (code, message) => this.warn(code, message, path, location));
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
    for (const o of options) {
      for (const l of [...o.labels].sort((a, b) => b.length - a.length)) {
        const m = new RegExp(labelPattern(l), 'u').exec(text);
        if (m && !hits.some((h) => m.index < h.end && m.index + m[0].length > h.at)) {
          hits.push({ value: o.value, at: m.index, end: m.index + m[0].length });
          break;
        }
      }
    }
    const glyphs = [...text].map((ch, i) => ({ ch, i })).filter((g) => isCheckboxGlyph(g.ch));
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
    this.reviews.push(this.reviewOf(authority, raw));
    this.found.set(`reviews[${index}]`, location);
  }

  private reviewOf(
    authority: string,
    raw: string,
  ): { authority: string; opinion: string | null; date: string | null } {
    let text = this.c.stripBoilerplate(raw.normalize('NFC'));
    let date: string | null = null;
    const m = EMBEDDED_DATE.exec(text.normalize('NFKC'));
    const cn = m ? null : CHINESE_DATE.exec(text);
    const written = m ? `${m[1]}年${m[2]}月${m[3]}日` : cn?.[3] !== undefined ? arabicDate(cn) : undefined;
    if (written) {
      const r = normaliseDate(written, true);
      if (r.ok) {
        date = r.value;
        text = m ? removeDate(text) : text.replace(CHINESE_DATE, ' ');
      }
    }
    return { authority, opinion: cleanText(text), date };
  }

  // ---- sections ---------------------------------------------------------------------------

  private finishSection(section: Section): void {
    if (section.field.kind === 'grid') this.finishGrid(section, section.field);
    else this.finishKeyed(section, section.field);
  }

  private finishGrid(section: Section, field: GridField): void {
    const headerRow = section.rows.findIndex(
      (r) => this.headerCount(r, field) >= Math.min(2, field.columns.length),
    );
    const columns: Array<{ key: string; lo: number; hi: number }> = [];
    if (headerRow >= 0) {
      for (const cell of section.rows[headerRow].cells) {
        const k = labelKey(cell.text);
        const column = field.columns.find((c) => c.labels.some((l) => labelKey(l) === k));
        if (column) {
          this.consumed.add(cell);
          columns.push({ key: column.key, lo: cell.col, hi: cell.col + cell.span });
        }
      }
    } else {
      this.warn(
        WarningCode.GridHeaderMissing,
        `the ${field.path} block has no header row; read its columns in order`,
        `$.${field.path}`,
        section.label?.location ?? null,
      );
    }
    const start = Math.min(...columns.map((c) => c.lo));
    const items: Array<Record<string, unknown>> = [];
    const carried: Record<string, string | null> = {};
    const body = section.rows.slice(headerRow + 1);
    for (const row of body) {
      const raw: Record<string, string[]> = {};
      const merged = new Set<string>();
      let location: SourceLocation | undefined;
      const cells = row.cells.filter(
        (c) => c !== section.label && (columns.length ? c.col + c.span > start + 1e-9 : c.col > section.col),
      );
      cells.forEach((cell, i) => {
        const key = columns.length ? bestColumn(columns, cell) : field.columns[i]?.key;
        if (!key) return;
        this.consumed.add(cell);
        if (cell.continued) merged.add(key);
        else (raw[key] ??= []).push(cell.text);
        location ??= cell.location;
      });
      const item: Record<string, unknown> = {};
      for (const column of field.columns) {
        const text = (raw[column.key] ?? []).join('\n');
        const value = this.convert(
          column.type,
          text,
          `$.${field.path}[${items.length}].${column.key}`,
          location ?? {},
          undefined,
        );
        if (
          column.carryDown &&
          (value === null || merged.has(column.key)) &&
          carried[column.key] !== undefined
        ) {
          item[column.key] = carried[column.key];
        } else item[column.key] = value;
      }
      for (const column of field.columns)
        if (column.carryDown) carried[column.key] = item[column.key] as string | null;
      const keep = (field.keepRowWhenAny ?? field.columns.map((c) => c.key)).some(
        (k) => item[k] !== null && item[k] !== undefined,
      );
      if (!keep) continue;
      this.applyVocabulary(field, item, items.length, location ?? {});
      if (location) this.found.set(`${field.path}[${items.length}]`, location);
      items.push(item);
    }
    this.set(field.path, items, section.label?.location ?? null);
  }

  /**
   * Indicator levels are official vocabulary: a label written with stray spaces, a colon or
   * other bracket widths is the official term; anything else is kept verbatim and flagged.
   */
  private applyVocabulary(
    field: GridField,
    item: Record<string, unknown>,
    index: number,
    location: SourceLocation,
  ): void {
    const v = field.vocabulary;
    if (!v) return;
    const official = (value: unknown, terms: string[]): string | null =>
      typeof value === 'string' ? (terms.find((t) => labelKey(t) === labelKey(value)) ?? value) : null;
    const l1 = official(item[v.level1], Object.keys(v.terms));
    const known2 = l1 !== null ? v.terms[l1] : undefined;
    const l2 = official(item[v.level2], known2 ?? Object.values(v.terms).flat());
    item[v.level1] = l1;
    item[v.level2] = l2;
    if (l1 === null || known2 === undefined) {
      this.warn(
        WarningCode.UnknownIndicatorLabel,
        `"${l1 ?? ''}" is not an official ${v.level1} label; kept verbatim`,
        `$.${field.path}[${index}].${v.level1}`,
        location,
      );
    }
    if (l2 === null || (known2 !== undefined && !known2.includes(l2))) {
      this.warn(
        WarningCode.UnknownIndicatorLabel,
        `"${l2 ?? ''}" is not an official ${v.level2} label under "${l1 ?? ''}"; kept verbatim`,
        `$.${field.path}[${index}].${v.level2}`,
        location,
      );
    }
  }

  private finishKeyed(section: Section, field: KeyedField): void {
    const cells = section.rows.flatMap((r) => r.cells).filter((c) => c !== section.label && !c.continued);
    const text = section.rows
      .map((r) =>
        r.cells
          .filter((c) => c !== section.label && !c.continued)
          .map((c) => c.text)
          .join('\t'),
      )
      .join('\n');
    cells.forEach((c) => this.consumed.add(c));
    let rest = text;
    const location = cells[0]?.location ?? section.label?.location ?? {};
    for (const key of field.keys) {
      const path = `${field.path}.${key.path}`;
      let value: string | null = null;
      for (const pattern of this.c.keyPatterns.get(key.path) ?? []) {
        const m = pattern.exec(text);
        if (!m) continue;
        rest = rest.replace(m[0], '');
        if (m[1] !== undefined) value = this.convert(key.type, m[1], `$.${path}`, location) as string | null;
        break;
      }
      this.set(path, value, location);
    }
    for (const [k, t] of this.c.labels) {
      if (t.kind === 'structural') rest = rest.replace(new RegExp(labelPattern(k), 'gu'), '');
    }
    const left = cleanText(rest.replace(/[:：;；,，。]/gu, ' '));
    if (left)
      this.warn(
        WarningCode.UnconsumedText,
        `text no field took in the ${field.path} block: "${left}"`,
        `$.${field.path}`,
        location,
      );
  }

  // ---- lines outside the table ------------------------------------------------------------

  /** `填报人：A  联系电话：B  填报日期：C`, in paragraphs or in cells no label took. */
  private readInline(sources: Source[]): void {
    for (const s of sources) {
      const text = s.text.normalize('NFC');
      const whole = this.c.inlineFields.get(labelKey(text));
      if (whole) {
        this.consume(s);
        this.setIfAbsent(whole.path, whole.type === 'list' ? [] : null, s.location);
        continue;
      }
      if (text.indexOf('：') < 0 && text.indexOf(':') < 0) continue;
      const matches = [...text.matchAll(this.c.inline)];
      if (!matches.length) continue;
      const leading = cleanText(this.c.stripBoilerplate(text.slice(0, matches[0].index)));
      if (leading) continue;
      this.consume(s);
      matches.forEach((m, k) => {
        const field = this.c.inlineFields.get(labelKey(m[1]));
        if (!field) return;
        const end = k + 1 < matches.length ? matches[k + 1].index : text.length;
        const raw = this.c.stripBoilerplate(text.slice((m.index ?? 0) + m[0].length, end));
        const value = this.convert(field.type, raw, `$.${field.path}`, s.location, field);
        this.set(field.path, value, s.location);
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
          copy(f.path, []);
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

/**
 * A value of the given type from the text of its cell, by the contract's normalisation rules.
 * Text that does not read as its type is kept as written and reported (flag, never reject).
 * Choices need their options and are read by the extractor itself.
 */
export function convertValue(
  c: CompiledDefinition,
  type: Exclude<ValueType, 'choice'>,
  raw: string,
  report: (code: WarningCode, message: string) => void,
): unknown {
  const prefixes = c.def.listItemPrefixes;
  switch (type) {
    case 'amount': {
      const r = normaliseAmount(raw);
      if (!r.ok) report(WarningCode.InvalidAmount, `"${r.value}" is not an amount in 万元; kept as written`);
      return r.value;
    }
    case 'month':
    case 'date': {
      const r = normaliseDate(c.stripBoilerplate(raw), type === 'date');
      if (!r.ok) report(WarningCode.InvalidDate, `"${r.value}" is not a ${type}; kept as written`);
      return r.value;
    }
    case 'list':
      return toList(raw, prefixes);
    case 'item':
      return toItem(raw, prefixes);
    default:
      return cleanText(raw);
  }
}

function bestColumn(
  columns: Array<{ key: string; lo: number; hi: number }>,
  cell: GridCell,
): string | undefined {
  let best: string | undefined;
  let overlap = 0;
  for (const c of columns) {
    const o = Math.min(c.hi, cell.col + cell.span) - Math.max(c.lo, cell.col);
    if (o > overlap + 1e-9) {
      overlap = o;
      best = c.key;
    }
  }
  return best;
}

function removeDate(text: string): string {
  // The date may be written with spaces between its parts; drop it from the opinion text.
  return text.replace(new RegExp(EMBEDDED_DATE.source, 'u'), ' ');
}

function paragraphSource(p: WordParagraph): Source {
  return { text: p.text, location: { paragraph: p.index }, consumed: false };
}

export function getPath(obj: Record<string, unknown>, path: string): unknown {
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    if (typeof cur[part] !== 'object' || cur[part] === null) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

export type { FieldDefinition };
