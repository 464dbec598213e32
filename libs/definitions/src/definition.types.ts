/**
 * A form definition (templates/<formType>.<edition>.json) describes one form type and edition:
 * its labels and their variants, which cell holds which field, its standard rows and its
 * layout. The parser, the generator and the checks all read it; no label lives in code.
 */
export type ValueType = 'text' | 'amount' | 'month' | 'date' | 'list' | 'item' | 'choice';

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
}

export interface GridColumn {
  key: string;
  labels: string[];
  type: ValueType;
  /** true: an empty cell takes the value above (vertical merges); 'whenEmptyRow' likewise. */
  carryDown?: boolean | 'whenEmptyRow';
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

export type FieldDefinition = CellField | GridField | KeyedField | ReviewsField;

export type CheckDefinition =
  | { kind: 'sum'; total: string; parts: string[] }
  | { kind: 'order'; list: string; start: string; end: string }
  | { kind: 'yearRange'; min: number; maxAhead: number };

export interface GroupDefinition {
  id: string;
  labels: string[];
}

export interface FormDefinition {
  formType: string;
  edition: string;
  contractVersion: string;
  attachmentLabel: { default: string; pattern: string };
  title: { text: string; variants: string[] };
  yearPattern: string;
  yearLine: string;
  boilerplate: string[];
  listItemPrefixes: string[];
  structuralLabels: string[];
  groups: GroupDefinition[];
  fields: FieldDefinition[];
  checks: CheckDefinition[];
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
) & {
  /** Smallest row height in twips (room to write by hand). */
  minHeight?: number;
};
