import type {
  CellField,
  DeriveRule,
  FieldDefinition,
  FormDefinition,
  GridColumn,
  GridField,
  KeyedField,
  MatrixField,
  ValueType,
} from '@formbridge/definitions';

/**
 * A JSON Schema (the OpenAPI 3.0 dialect: `nullable` rather than type arrays, so the same object
 * serves Ajv and the OpenAPI page). `x-reason` is the message a violation is reported with.
 */
export interface JsonSchema {
  type?: string;
  nullable?: boolean;
  pattern?: string;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean;
  items?: JsonSchema;
  title?: string;
  description?: string;
  'x-reason'?: string;
}

export const AMOUNT_PATTERN = '^-?\\d+\\.\\d{2}$';
export const DECIMAL_PATTERN = '^-?\\d+\\.\\d{2}$';
export const MONTH_OR_DATE_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12]\\d|3[01]))?$';
export const DATE_PATTERN = '^\\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\\d|3[01])$';
/** Values are trimmed by the normaliser; a blank string is never a value (it is null). */
const NOT_BLANK = '\\S';

const REASONS: Partial<Record<ValueType, { pattern: string; reason: string }>> = {
  amount: { pattern: AMOUNT_PATTERN, reason: 'must be an amount in 万元 with two decimals, e.g. "226.00"' },
  decimal: { pattern: DECIMAL_PATTERN, reason: 'must be a number with two decimals, e.g. "10.00"' },
  percent: {
    pattern: DECIMAL_PATTERN,
    reason: 'must be a percentage as a number with two decimals, e.g. "97.50"',
  },
  month: { pattern: MONTH_OR_DATE_PATTERN, reason: 'must be a month "YYYY-MM" or a date "YYYY-MM-DD"' },
  date: { pattern: DATE_PATTERN, reason: 'must be a date "YYYY-MM-DD"' },
};

function text(required: boolean, title?: string): JsonSchema {
  return {
    type: 'string',
    pattern: NOT_BLANK,
    ...(required ? {} : { nullable: true }),
    ...(title ? { title } : {}),
    'x-reason': required ? 'must be a text that is not blank' : 'must not be blank (use null)',
  };
}

function valueSchema(type: ValueType, required: boolean, title: string, options?: string[]): JsonSchema {
  if (type === 'list') return { type: 'array', title, items: text(true) };
  if (type === 'choice')
    return {
      type: 'string',
      title,
      enum: [...(options ?? []), ...(required ? [] : [null])],
      ...(required ? {} : { nullable: true }),
      'x-reason': `must be one of: ${(options ?? []).join(', ')}${required ? '' : ' (or null)'}`,
    };
  const formatted = REASONS[type];
  if (!formatted) return text(required, title);
  return {
    type: 'string',
    title,
    pattern: formatted.pattern,
    ...(required ? {} : { nullable: true }),
    'x-reason': formatted.reason,
  };
}

function object(properties: Record<string, JsonSchema>, title?: string): JsonSchema {
  return {
    type: 'object',
    ...(title ? { title } : {}),
    properties,
    required: Object.keys(properties),
    additionalProperties: false,
  };
}

/** Puts a schema at a dotted path, creating the objects on the way. */
function place(root: JsonSchema, path: string, schema: JsonSchema): void {
  const parts = path.split('.');
  let cur = root;
  for (const part of parts.slice(0, -1)) {
    cur.properties ??= {};
    cur.required ??= [];
    if (!cur.properties[part]) {
      cur.properties[part] = object({});
      cur.required.push(part);
    }
    cur = cur.properties[part];
  }
  cur.properties ??= {};
  cur.required ??= [];
  const last = parts[parts.length - 1];
  if (!cur.properties[last]) cur.required.push(last);
  cur.properties[last] = schema;
}

function derivedSchema(rule: DeriveRule): JsonSchema {
  return {
    type: 'object',
    nullable: true,
    description: `derived from ${rule.from}: { op, number, unit }, or null when it is not a figure`,
    properties: {
      op: { type: 'string', enum: Object.keys(rule.operators), 'x-reason': 'must be an operator' },
      number: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?$', 'x-reason': 'must be a decimal string' },
      unit: text(false),
    },
    required: ['op', 'number', 'unit'],
    additionalProperties: false,
  };
}

function columnSchema(c: GridColumn): JsonSchema {
  if (c.derive) return derivedSchema(c.derive);
  return valueSchema(c.type, !!c.required, c.labels[0]);
}

function gridSchema(f: GridField): JsonSchema {
  const row = object(Object.fromEntries(f.columns.map((c) => [c.key, columnSchema(c)])));
  return f.as === 'object'
    ? { ...row, title: f.labels[0] }
    : { type: 'array', title: f.labels[0], items: row };
}

function matrixSchema(f: MatrixField): JsonSchema {
  const row = () =>
    object(Object.fromEntries(f.columns.map((c) => [c.key, valueSchema(c.type, false, c.labels[0])])));
  return object(
    Object.fromEntries(f.rows.map((r) => [r.key, { ...row(), title: r.labels[0] }])),
    f.labels[0],
  );
}

function keyedSchema(f: KeyedField): JsonSchema {
  const root = object({}, f.labels[0]);
  for (const k of f.keys) place(root, k.path, valueSchema(k.type, !!k.required, k.labels[0]));
  return root;
}

function fieldSchema(f: FieldDefinition): JsonSchema {
  switch (f.kind) {
    case 'grid':
      return gridSchema(f);
    case 'matrix':
      return matrixSchema(f);
    case 'keyed':
      return keyedSchema(f);
    case 'reviews':
      return {
        type: 'array',
        title: f.labelSuffix,
        items: object({
          authority: text(true),
          opinion: text(false),
          date: valueSchema('date', false, 'date'),
        }),
      };
    default: {
      const cell = f as CellField;
      return valueSchema(
        cell.type,
        !!cell.required,
        cell.labels[0],
        cell.options?.map((o) => o.value),
      );
    }
  }
}

/**
 * The record of a form definition as a JSON Schema: every field of the definition, each present
 * (null when the form leaves it empty, unless required), nothing else.
 */
export function recordSchema(def: FormDefinition): JsonSchema {
  const root = object(
    {
      formType: { type: 'string', enum: [def.formType], 'x-reason': `must be ${def.formType}` },
      attachmentLabel: text(def.attachmentLabel.default !== null),
      year: { type: 'integer', minimum: 1949, maximum: 2999, 'x-reason': 'must be a year (1949–2999)' },
    },
    def.title.text,
  );
  root.description = `${def.title.text} (${def.formType}, edition ${def.edition})`;
  for (const f of def.fields) place(root, f.path, fieldSchema(f));
  return root;
}
