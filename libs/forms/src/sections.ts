import type { GridField, KeyedField, MatrixField, ValueType } from '@formbridge/definitions';
import type { SourceLocation } from '@formbridge/word';
import { mapList } from './arrays';
import type { CompiledDefinition, Named } from './compiled-definition';
import { derive, officialTerm, splitLabelWeight } from './convert';
import type { GridCell, GridRow } from './layout';
import { cleanText, labelKey, labelUnit } from './text';
import { WarningCode } from './warnings';

/** A column of a block as laid out: its key and the grid columns it covers. */
export interface ColumnSpan {
  key: string;
  lo: number;
  hi: number;
  unit?: string;
}

/** A block of rows under a label (or a header row): a grid, a keyed block or a matrix. */
export interface Section {
  field: GridField | KeyedField | MatrixField;
  col: number;
  byHeader: boolean;
  rows: GridRow[];
  label?: GridCell;
  /** The unit the block's label states (`项目资金（万元）`). */
  unit?: string;
}

/** What a block reader needs of the form being read. */
export interface ReadContext {
  readonly c: CompiledDefinition;
  /** The unit of amounts written without one (`单位：元` on the form, else 万元). */
  readonly unit: string;
  /** Column positions of each grid read so far, for total rows beneath them. */
  readonly gridColumns: Map<string, ColumnSpan[]>;
  /** Weights printed in labels (`产出指标（50分）`), by the path of the value they were part of. */
  readonly labelWeights: Map<string, string>;
  consume(cell: GridCell): void;
  set(path: string, value: unknown, location: SourceLocation | null): void;
  locate(path: string, location: SourceLocation): void;
  warn(code: WarningCode, message: string, path: string | null, location: SourceLocation | null): void;
  convert(type: ValueType, raw: string, path: string, location: SourceLocation, unit?: string): unknown;
}

type Item = Record<string, unknown>;

/** The header cells of a row that name columns of this block. */
export function headerCells(
  c: CompiledDefinition,
  row: GridRow,
  columns: readonly Named[],
): Array<{ cell: GridCell; key: string; unit?: string }> {
  const out: Array<{ cell: GridCell; key: string; unit?: string }> = [];
  const labels = c.labelsOf(columns);
  for (const cell of row.cells) {
    const key = labelKey(cell.text);
    if (!key) continue;
    const unit = labelUnit(key);
    const column = labels.get(key) ?? (unit ? labels.get(unit.base) : undefined);
    if (column) out.push({ cell, key: column.key, unit: unit?.unit });
  }
  return out;
}

/**
 * The header's columns as laid out, by mapList for a block with a header row or without one
 * alike: V8 then gives every such array the same hidden class, where `map`'s results (and an empty
 * literal elsewhere) gave the optimised row reader one it had not seen, and it was thrown away and
 * compiled again in every parse thread (docs/bench.md).
 */
function spans(ctx: ReadContext, header: ReturnType<typeof headerCells>): ColumnSpan[] {
  return mapList(header, ({ cell, key, unit }) => {
    ctx.consume(cell);
    return { key, lo: cell.col, hi: cell.col + cell.span, unit };
  });
}

export function bestColumn(columns: ColumnSpan[], cell: GridCell): ColumnSpan | undefined {
  let best: ColumnSpan | undefined;
  let overlap = 0;
  for (const c of columns) {
    const o = Math.min(c.hi, cell.col + cell.span) - Math.max(c.lo, cell.col);
    if (o > overlap + 1e-9) {
      overlap = o;
      best = c;
    }
  }
  return best;
}

/** Rows of a grid: one item per row (or one object), columns by the header row. */
export function readGrid(ctx: ReadContext, section: Section, field: GridField): void {
  const { c } = ctx;
  const headerRow = section.rows.findIndex(
    (r) => headerCells(c, r, field.columns).length >= Math.min(2, field.columns.length),
  );
  const read = c.readColumns(field);
  const columns = spans(ctx, headerRow >= 0 ? headerCells(c, section.rows[headerRow], read) : []);
  if (headerRow < 0) {
    ctx.warn(
      WarningCode.GridHeaderMissing,
      `the ${field.path} block has no header row; read its columns in order`,
      `$.${field.path}`,
      section.label?.location ?? null,
    );
  }
  ctx.gridColumns.set(field.path, columns);
  let start = Infinity;
  for (const col of columns) if (col.lo < start) start = col.lo;
  const kept = c.keptColumns(field);
  const grid: GridReading = { ctx, section, field, read, columns, start, carried: new Map(), kept };
  const items: Item[] = [];
  const locations: SourceLocation[] = [];
  for (let r = headerRow + 1; r < section.rows.length; r++) {
    const row = readGridRow(grid, section.rows[r], items.length);
    if (!row) continue;
    if (row.location) locations.push(row.location);
    if (row.location && field.as !== 'object') ctx.locate(`${field.path}[${items.length}]`, row.location);
    items.push(row.item);
  }
  if (field.as === 'object') {
    if (items.length > 1)
      ctx.warn(
        WarningCode.DuplicateField,
        `the ${field.path} block holds ${items.length} rows; kept the first`,
        `$.${field.path}`,
        section.label?.location ?? null,
      );
    const empty = Object.fromEntries(field.columns.map((col) => [col.key, null]));
    ctx.set(field.path, items[0] ?? empty, locations[0] ?? section.label?.location ?? null);
  } else ctx.set(field.path, items, section.label?.location ?? null);
}

/** What reading each row of one grid shares. */
interface GridReading {
  ctx: ReadContext;
  section: Section;
  field: GridField;
  /** The columns read, in the definition's order. */
  read: ReturnType<CompiledDefinition['readColumns']>;
  /** The header's columns as laid out; empty when the block has no header row. */
  columns: ColumnSpan[];
  /** Where the leftmost header column starts. */
  start: number;
  /** The last value of each carry-down column, for merged cells below it. */
  carried: Map<string, unknown>;
  /** A row is kept when one of these columns holds a value. */
  kept: readonly string[];
}

/**
 * One row of a grid as an item, keys in the definition's order, or undefined when none of its
 * kept columns holds a value. Row values are kept in Maps: a grid's columns differ from one grid
 * to the next, and objects keyed by them gave the optimising compiler a new shape for every grid.
 */
function readGridRow(
  g: GridReading,
  row: GridRow,
  index: number,
): { item: Item; location?: SourceLocation } | undefined {
  const { ctx, section, field, read, columns } = g;
  const path = (key: string) =>
    field.as === 'object' ? `${field.path}.${key}` : `${field.path}[${index}].${key}`;
  const raw = new Map<string, string[]>();
  const units = new Map<string, string | undefined>();
  const merged = new Set<string>();
  let location: SourceLocation | undefined;
  let i = 0;
  for (const cell of row.cells) {
    if (cell === section.label) continue;
    if (columns.length ? cell.col + cell.span <= g.start + 1e-9 : cell.col <= section.col) continue;
    const column = columns.length ? bestColumn(columns, cell) : undefined;
    const key = column?.key ?? (columns.length ? undefined : read[i]?.key);
    i++;
    if (!key) continue;
    ctx.consume(cell);
    units.set(key, column?.unit);
    if (cell.continued) merged.add(key);
    else {
      const texts = raw.get(key);
      if (texts) texts.push(cell.text);
      else raw.set(key, [cell.text]);
    }
    location ??= cell.location;
  }
  const values = new Map<string, unknown>();
  const weights = new Map<string, string>();
  for (const column of read) {
    const at = path(column.key);
    const report = (code: WarningCode, message: string) => ctx.warn(code, message, `$.${at}`, location ?? {});
    let value = ctx.convert(
      column.type,
      (raw.get(column.key) ?? []).join('\n'),
      `$.${at}`,
      location ?? {},
      units.get(column.key) ?? section.unit,
    );
    if (column.weightInLabel) {
      const split = splitLabelWeight(value);
      value = split.value;
      if (split.weight !== undefined) weights.set(column.key, split.weight);
    }
    value = officialTerm(column, value, report);
    const carried = g.carried.get(column.key);
    values.set(
      column.key,
      column.carryDown && (value === null || merged.has(column.key)) && carried !== undefined
        ? carried
        : value,
    );
  }
  for (const column of read) if (column.carryDown) g.carried.set(column.key, values.get(column.key));
  if (!g.kept.some((k) => values.get(k) !== null && values.get(k) !== undefined)) return undefined;
  for (const [key, weight] of weights) ctx.labelWeights.set(path(key), weight);
  for (const column of field.columns) {
    if (column.derive) values.set(column.key, derive(column.derive, values.get(column.derive.from)));
  }
  const item: Item = Object.fromEntries(values);
  applyVocabulary(ctx, field, item, index, location ?? {});
  // Key order as the definition lists the columns.
  return { item: Object.fromEntries(field.columns.map((col) => [col.key, item[col.key]])), location };
}

/**
 * Indicator levels are official vocabulary: a label written with stray spaces, a colon or
 * other bracket widths is the official term; anything else is kept verbatim and flagged.
 */
function applyVocabulary(
  ctx: ReadContext,
  field: GridField,
  item: Item,
  index: number,
  location: SourceLocation,
) {
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
    ctx.warn(
      WarningCode.UnknownIndicatorLabel,
      `"${l1 ?? ''}" is not an official ${v.level1} label; kept verbatim`,
      `$.${field.path}[${index}].${v.level1}`,
      location,
    );
  }
  if (l2 === null || (known2 !== undefined && !known2.includes(l2))) {
    ctx.warn(
      WarningCode.UnknownIndicatorLabel,
      `"${l2 ?? ''}" is not an official ${v.level2} label under "${l1 ?? ''}"; kept verbatim`,
      `$.${field.path}[${index}].${v.level2}`,
      location,
    );
  }
}

/** Rows named by their first cell, columns by a header row: `年度资金总额 | 25 | 25 | 24.3 …`. */
export function readMatrix(ctx: ReadContext, section: Section, field: MatrixField): void {
  const { c } = ctx;
  const headerRow = section.rows.findIndex((r) => headerCells(c, r, field.columns).length >= 2);
  const columns = headerRow >= 0 ? spans(ctx, headerCells(c, section.rows[headerRow], field.columns)) : [];
  const seen = new Set<string>();
  for (const row of section.rows.slice(headerRow + 1)) {
    const cells = row.cells.filter((cell) => cell !== section.label && !cell.continued);
    const name = cells.find((cell) => headerCells(c, { cells: [cell] }, field.rows).length > 0);
    if (!name) {
      for (const cell of cells) {
        if (!cleanText(cell.text)) ctx.consume(cell);
      }
      continue;
    }
    const key = headerCells(c, { cells: [name] }, field.rows)[0].key;
    ctx.consume(name);
    if (seen.has(key)) {
      ctx.warn(
        WarningCode.DuplicateField,
        `${field.path}.${key} appears twice; kept the first`,
        `$.${field.path}.${key}`,
        name.location,
      );
      cells.forEach((cell) => ctx.consume(cell));
      continue;
    }
    seen.add(key);
    const raw: Record<string, string[]> = {};
    for (const cell of cells) {
      if (cell === name || cell.col < name.col + name.span - 1e-9) continue;
      const column = bestColumn(columns, cell);
      if (!column) continue;
      ctx.consume(cell);
      (raw[column.key] ??= []).push(cell.text);
    }
    for (const column of field.columns) {
      const path = `${field.path}.${key}.${column.key}`;
      const unit = columns.find((s) => s.key === column.key)?.unit ?? section.unit;
      ctx.set(
        path,
        ctx.convert(column.type, (raw[column.key] ?? []).join('\n'), `$.${path}`, name.location, unit),
        name.location,
      );
    }
  }
  if (headerRow < 0)
    ctx.warn(
      WarningCode.GridHeaderMissing,
      `the ${field.path} block has no header row`,
      `$.${field.path}`,
      section.label?.location ?? null,
    );
}

/** A block whose text holds `key：value` pairs under one label (年度预算申请). */
export function readKeyed(ctx: ReadContext, section: Section, field: KeyedField): void {
  const { c } = ctx;
  const cells: GridCell[] = [];
  for (const r of section.rows)
    for (const cell of r.cells) if (cell !== section.label && !cell.continued) cells.push(cell);
  // Loops rather than map/filter chains: their arrays reached the optimised code with hidden
  // classes it had not seen (docs/bench.md, "Thirteenth look").
  let text = '';
  section.rows.forEach((r, i) => {
    if (i) text += '\n';
    let first = true;
    for (const cell of r.cells) {
      if (cell === section.label || cell.continued) continue;
      text += first ? cell.text : `\t${cell.text}`;
      first = false;
    }
  });
  cells.forEach((cell) => ctx.consume(cell));
  let rest = text;
  const location = cells[0]?.location ?? section.label?.location ?? {};
  for (const key of field.keys) {
    const path = `${field.path}.${key.path}`;
    let value: unknown = null;
    for (const pattern of c.keyPatterns.get(key.path) ?? []) {
      const m = pattern.exec(text);
      if (!m) continue;
      rest = rest.replace(m[0], '');
      if (m[1] !== undefined) value = ctx.convert(key.type, m[1], `$.${path}`, location, section.unit);
      break;
    }
    ctx.set(path, value, location);
  }
  for (const pattern of c.structural) rest = rest.replace(pattern, '');
  const left = cleanText(rest.replace(/[:：;；,，。]/gu, ' '));
  if (left)
    ctx.warn(
      WarningCode.UnconsumedText,
      `text no field took in the ${field.path} block: "${left}"`,
      `$.${field.path}`,
      location,
    );
}
