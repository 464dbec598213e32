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
  /** Table layout for the generator; see the generator's renderer for its shape. */
  layout: { grid: number[]; rows: Array<Record<string, unknown>> };
}
