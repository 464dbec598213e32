/**
 * A form definition (templates/<formType>.<edition>.json) describes one form type and edition:
 * its labels and their variants, which cell holds which field, its standard rows and its
 * layout. The parser, the generator and the checks all read it; no label lives in code.
 */
export type ValueType =
  | 'text'
  | 'amount'
  | 'month'
  | 'date'
  | 'list'
  | 'item'
  | 'choice'
  /** A number with two fraction digits (`10` → `"10.00"`): weights, scores. */
  | 'decimal'
  /** A percentage as a number with two fraction digits (`97.5%` → `"97.50"`). */
  | 'percent';

export interface ChoiceOption {
  value: string;
  labels: string[];
}

/** A value whose label sits in a table cell (value in the next cell) or inline as `label：value`. */
export interface CellField {
  kind: 'cell' | 'line';
  path: string;
  labels: string[];
  type: ValueType;
  required?: boolean;
  /** Where the generator draws a `line` field: above or below the table. */
  placement?: 'before' | 'after';
  options?: ChoiceOption[];
  /** Id of a group (`groups`) whose rows this label belongs to. */
  section?: string;
  /**
   * A total row under a grid (`总分 | 100 | 94.92`): of the cells right of the label, the value is
   * the one under this column of that grid.
   */
  underColumn?: { grid: string; column: string };
}

export interface GridColumn {
  key: string;
  labels: string[];
  type: ValueType;
  /** true: an empty cell takes the value above (vertical merges); 'whenEmptyRow' likewise. */
  carryDown?: boolean | 'whenEmptyRow';
  /** The record must hold a value (never null). */
  required?: boolean;
  /**
   * Official terms of a column and the variants read as them (`计划` → `计划标准`); anything else
   * is kept verbatim with a warning.
   */
  terms?: Record<string, string[]>;
  /**
   * A weight printed in the label (`产出指标（50分）`): stripped from the value, and the rows under
   * that label must add up to it in column `sumOf`.
   */
  weightInLabel?: { sumOf: string };
  /** A value derived from another column of the same row, never read from the document. */
  derive?: DeriveRule;
}

/**
 * `comparison`: a target such as `≥95%` as `{ op, number, unit }`; `op` is the key of `operators`
 * whose variant the value starts with (none: `default`); `null` when the value is not a number
 * with an optional operator and unit.
 */
export interface DeriveRule {
  rule: 'comparison';
  from: string;
  operators: Record<string, string[]>;
  default: string;
}

/** A block of rows under a (usually vertically merged) label with a header row. */
export interface GridField {
  kind: 'grid';
  path: string;
  labels: string[];
  columns: GridColumn[];
  /** A row is kept only when one of these columns holds text (default: any column). */
  keepRowWhenAny?: string[];
  vocabulary?: { level1: string; level2: string; terms: Record<string, string[]> };
  /** Rows the official form always draws: a count of blank rows, or fixed key values. */
  standardRows?: number | Array<Record<string, string>>;
  /** `object`: the block holds one row, read as one object (default `list`: an array of rows). */
  as?: 'list' | 'object';
}

/**
 * A table of values under one label: rows named by their first cell, columns by a header row
 * (`项目资金 | 年度资金总额 | 年初预算数 …`). Every row × column is a value, null when blank.
 */
export interface MatrixField {
  kind: 'matrix';
  path: string;
  labels: string[];
  rows: Array<{ key: string; labels: string[] }>;
  columns: Array<{ key: string; labels: string[]; type: ValueType }>;
}

export interface KeyedValue {
  path: string;
  labels: string[];
  type: ValueType;
  required?: boolean;
}

/** A block of rows under one label whose text holds `key：value` pairs. */
export interface KeyedField {
  kind: 'keyed';
  path: string;
  labels: string[];
  keys: KeyedValue[];
}

/** Review rows: any label ending in `labelSuffix`; its cell holds opinion, seal and date. */
export interface ReviewsField {
  kind: 'reviews';
  path: string;
  labelSuffix: string;
  groupLabels?: string[];
  /** Authorities the official form prints when a record has none. */
  standard: string[];
}

export type FieldDefinition = CellField | GridField | KeyedField | ReviewsField | MatrixField;

/**
 * Checks that flag, never reject. Paths may hold `[]` (every item of a list: summed in `parts`,
 * paired item by item in `ratio` and `notAbove`) and `*` (every key of an object).
 */
export type CheckDefinition =
  /** `total` (a path, or `equals`, a fixed figure) must be the sum of `parts`. */
  | { kind: 'sum'; total?: string; equals?: string; parts: string[]; code?: string }
  | { kind: 'order'; list: string; start: string; end: string }
  | { kind: 'yearRange'; min: number; maxAhead: number }
  /** `value` must be `numerator` ÷ `denominator` × `factor`, to `tolerance`. */
  | {
      kind: 'ratio';
      value: string;
      numerator: string;
      denominator: string;
      factor: number;
      tolerance: string;
    }
  /** `value` may not exceed `limit` (a score above its weight). */
  | { kind: 'notAbove'; value: string; limit: string }
  /** The weight printed in a grid column's labels (`weightInLabel`) must be the sum of its rows. */
  | { kind: 'labelWeight'; list: string; column: string };

export interface GroupDefinition {
  id: string;
  labels: string[];
}

export interface FormDefinition {
  formType: string;
  edition: string;
  contractVersion: string;
  /** The filing years this edition is used for (`export --as-year` picks by them). */
  years?: { from?: number; to?: number };
  /**
   * How a record of another edition of the same form type maps onto this one: by edition, the
   * paths that were renamed (`old → new`); fields this edition lacks are dropped, fields it adds
   * start empty. Going back to that older edition, the renames apply the other way round.
   */
  mapFrom?: Record<string, Record<string, string>>;
  /** The fields that name the department and the project: record lists, exports and file names use them. */
  summary?: { department?: string; project?: string };
  /**
   * `export --as-year N`: what of last year's record starts next year's draft. `clear` paths become
   * null, `shiftYears` dates move by the years between, `set` paths take the given value; `year`
   * becomes N and everything else is kept. Paths may hold `[]` and `*`.
   */
  rollForward?: { clear?: string[]; shiftYears?: string[]; set?: Record<string, unknown> };
  /** A null default: the form carries no attachment label, and none is assumed. */
  attachmentLabel: { default: string | null; pattern: string };
  /** `单位：元` printed on the form: the unit its amounts are written in (default 万元). */
  amountUnit?: { labels: string[] };
  title: { text: string; variants: string[] };
  yearPattern: string;
  yearLine: string;
  boilerplate: string[];
  listItemPrefixes: string[];
  structuralLabels: string[];
  groups: GroupDefinition[];
  fields: FieldDefinition[];
  checks: CheckDefinition[];
  /**
   * The record paths that say which filing a form is (besides its form type): two forms that
   * agree on all of them are the same filing, whatever else differs.
   */
  filingIdentity: string[];
  /** How the generator draws the form; nothing else reads it. */
  layout: FormLayout;
}

/**
 * The printed form, as the generator draws it. Every text it prints is either a value or a label
 * the definition already holds (fields, groups, structural labels, boilerplate), so whatever the
 * generator writes the parser can read back.
 */
export interface FormLayout {
  /** `w:gridCol` widths in twips; they add up to the width of the page's text block. */
  grid: number[];
  /** Lines above and below the table: each line is a list of `line` field paths, printed `label：value`. */
  before: string[][];
  after: string[][];
  rows: LayoutRow[];
  /**
   * Numbering printed in front of list items (and grid `item` cells), by path. `{n}` is the item
   * number; styles are tried in order until the parser reads the item back unchanged.
   */
  numbering: Record<string, string[]>;
  /** How dates and months are printed: `{y}`, `{m}`, `{d}` without leading zeros. */
  dates: { month: string; date: string };
  /**
   * The review cell: the seal line (boilerplate) and the blank date printed when there is no date;
   * `sameLine` prints both on one line, as some forms do.
   */
  review: { seal: string; blankDate: string; sameLine?: boolean };
  /** What an empty line field prints, by path, where the form draws a blank to fill in (`年　月　日`). */
  blankLines?: Record<string, string>;
  /** Table text in 小五 (9 pt) instead of 小四 (12 pt): for forms of many narrow columns. */
  compactTable?: boolean;
}

/** `{ label: path }` prints a field's label; `{ field: path }` its value. */
export type LayoutCell = { label: string; span?: number } | { field: string; span?: number };

/** A cell of a keyed block: some of its `key：value` pairs (after an optional structural lead), or a structural caption. */
export type KeyedLayoutCell =
  { keys: string[]; lead?: string; span?: number } | { caption: string; span?: number };

export type LayoutRow = (
  | { cells: LayoutCell[] }
  /** A grid field: its label merged down the block, a header row, one row per item. */
  | { grid: string; labelSpan?: number; spans: Record<string, number>; merge?: string[] }
  /** A keyed field: its label merged down `rows`. */
  | { keyed: string; rows: KeyedLayoutCell[][] }
  /** A group (`groups[].id`) label merged down one row per field: `group | field label | value`. */
  | { group: string; fields: string[]; spans: { label: number; value: number } }
  /** One row per review; a `groupLabels` label is merged down them when the field has one. */
  | { reviews: string; spans: { label: number; value: number } }
  /** A matrix field: label merged down a header row and one row per matrix row. */
  | { matrix: string; labelSpan?: number; spans: Record<string, number> }
) & {
  /** Smallest row height in twips (room to write by hand). */
  minHeight?: number;
};
