import type { FormDefinition, GridField, ReviewsField, ValueType } from '@formbridge/definitions';

/**
 * What the baseline builders print into a form: either a record's values, formatted the way
 * the definition says (numbering, 年月 dates), or docxtemplater placeholders for the template.
 * The layout walk itself is shared, so both baselines draw the same form ours does.
 */
export interface FormSource {
  /** Printed lines of a value (a cell, a `label：value` line, a keyed pair, a group row). */
  lines(path: string, type: ValueType): string[];
  /** One option's checkbox: its state, or a placeholder for the glyph. */
  box(path: string, option: string): { checked: boolean } | { placeholder: string };
  grid(field: GridField, mergeKeys: readonly string[]): GridRowView[];
  reviews(field: ReviewsField): ReviewView[];
}

export type VMerge = 'restart' | 'continue' | undefined;

export interface Loop {
  open: string;
  close: string;
}

export interface GridRowView {
  cells: Record<string, string[]>;
  vMerge: Record<string, VMerge>;
  /** docxtemplater loop tags around the row (template only). */
  loop?: Loop;
}

export interface ReviewView {
  authority: string;
  opinion: string[];
  date: string;
  loop?: Loop;
}

type Rec = Record<string, unknown>;

export function valueAt(record: Rec, path: string): unknown {
  let v: unknown = record;
  for (const key of path.split('.')) v = v === null || typeof v !== 'object' ? undefined : (v as Rec)[key];
  return v;
}

const ISO = /^(\d{4})-(\d{2})(?:-(\d{2}))?$/;

function formatDate(value: string, format: string): string {
  const m = ISO.exec(value);
  if (!m) return value;
  return format
    .replace('{y}', m[1])
    .replace('{m}', String(Number(m[2])))
    .replace('{d}', String(Number(m[3] ?? 1)));
}

/** A value's printed lines, as a developer writing the form by hand would format them. */
export function formatValue(
  def: FormDefinition,
  type: ValueType,
  path: string,
  value: unknown,
  n = 1,
): string[] {
  if (value === null || value === undefined) return [];
  const numbering = def.layout.numbering[path]?.[0];
  const numbered = (item: string, k: number) =>
    numbering ? numbering.replace('{n}', String(k)) + item : item;
  switch (type) {
    case 'list':
      return (value as string[]).map((item, i) => numbered(item, i + 1));
    case 'item':
      return numbered(String(value), n).split('\n');
    case 'month':
      return [
        formatDate(
          String(value),
          /-\d\d-/.test(String(value)) ? def.layout.dates.date : def.layout.dates.month,
        ),
      ];
    case 'date':
      return [formatDate(String(value), def.layout.dates.date)];
    default:
      return String(value).split('\n');
  }
}

/** Grid rows as the official form prints them: the record's rows plus the standard rows it lacks. */
export function gridRows(field: GridField, items: Rec[]): Rec[] {
  const standard = field.standardRows;
  if (standard === undefined) return items;
  if (typeof standard === 'number') {
    const out = [...items];
    while (out.length < standard) out.push({});
    return out;
  }
  const matches = (row: Rec, s: Record<string, string>) => Object.entries(s).every(([k, v]) => row[k] === v);
  const out: Rec[] = [];
  for (const s of standard) {
    const mine = items.filter((row) => matches(row, s));
    out.push(...(mine.length ? mine : [{ ...s }]));
  }
  out.push(...items.filter((row) => !standard.some((s) => matches(row, s))));
  return out;
}

export class RecordSource implements FormSource {
  constructor(
    private readonly def: FormDefinition,
    private readonly record: Rec,
  ) {}

  lines(path: string, type: ValueType): string[] {
    return formatValue(this.def, type, path, valueAt(this.record, path));
  }

  box(path: string, option: string) {
    return { checked: valueAt(this.record, path) === option };
  }

  grid(field: GridField, mergeKeys: readonly string[]): GridRowView[] {
    const rows = gridRows(field, (valueAt(this.record, field.path) as Rec[] | undefined) ?? []);
    const same = (i: number, j: number) =>
      i > 0 && i < rows.length && mergeKeys.slice(0, j + 1).every((k) => rows[i][k] === rows[i - 1][k]);
    return rows.map((row, i) => {
      const cells: Record<string, string[]> = {};
      const vMerge: Record<string, VMerge> = {};
      for (const c of field.columns) {
        cells[c.key] = formatValue(this.def, c.type, `${field.path}[].${c.key}`, row[c.key], i + 1);
        const j = mergeKeys.indexOf(c.key);
        vMerge[c.key] = j < 0 ? undefined : same(i, j) ? 'continue' : same(i + 1, j) ? 'restart' : undefined;
      }
      return { cells, vMerge };
    });
  }

  reviews(field: ReviewsField): ReviewView[] {
    const given = (valueAt(this.record, field.path) as Rec[] | undefined) ?? [];
    const reviews: Rec[] = given.length ? given : field.standard.map((authority) => ({ authority }));
    const { date: dateFormat } = this.def.layout.dates;
    return reviews.map((r) => ({
      authority: String(r.authority ?? ''),
      opinion: r.opinion == null ? [] : String(r.opinion).split('\n'),
      date: r.date == null ? this.def.layout.review.blankDate : formatDate(String(r.date), dateFormat),
    }));
  }
}

/** A docxtemplater tag name for a record path (`budget.byIncome.other` → `budget_byIncome_other`). */
export const tagOf = (path: string) => path.replace(/[^A-Za-z0-9]+/g, '_');

/** Placeholders instead of values: the docxtemplater template is this form drawn once. */
export class TemplateSource implements FormSource {
  lines(path: string): string[] {
    return [`{${tagOf(path)}}`];
  }

  box(path: string, option: string) {
    return { placeholder: `{${tagOf(path)}_${tagOf(option)}}` };
  }

  grid(field: GridField): GridRowView[] {
    const cells = Object.fromEntries(field.columns.map((c) => [c.key, [`{${c.key}}`]]));
    const tag = tagOf(field.path);
    return [{ cells, vMerge: {}, loop: { open: `{#${tag}}`, close: `{/${tag}}` } }];
  }

  reviews(field: ReviewsField): ReviewView[] {
    const tag = tagOf(field.path);
    return [
      {
        authority: '{authority}',
        opinion: ['{opinion}'],
        date: '{date}',
        loop: { open: `{#${tag}}`, close: `{/${tag}}` },
      },
    ];
  }
}
