import { t } from '../i18n';
import { parsePath } from '../paths';

import type { FieldDefinition, ValueType } from '@formbridge/definitions/types';
import type { ServedDefinition } from '@formbridge/definitions/summary';

/** The form definitions (templates/), as GET /definitions/:formType serves them. */
export type {
  CellField,
  GridField,
  KeyedField,
  MatrixField,
  ReviewsField,
  ValueType,
} from '@formbridge/definitions/types';
export type Field = FieldDefinition;
export type Definition = ServedDefinition;

/** The label a field is printed with on the form (its first label in the definition). */
export function fieldLabel(field: Field): string {
  return field.kind === 'reviews' ? (field.groupLabels?.[0] ?? field.labelSuffix) : field.labels[0];
}

/** A path as people read it: the form's own labels (for history and conflicts). */
export function pathLabel(def: Definition | undefined, path: string): string {
  const segs = parsePath(path);
  if (!def) return path;
  if (segs[0] === 'year') return t('detail.year');
  for (const f of def.fields) {
    const own = parsePath(f.path);
    if (!own.every((s, i) => segs[i] === s)) continue;
    const rest = segs.slice(own.length);
    if (f.kind === 'cell' || f.kind === 'line') {
      return rest.length
        ? `${f.labels[0]} ${rest.map((s) => (typeof s === 'number' ? s + 1 : s)).join('.')}`
        : f.labels[0];
    }
    if (f.kind === 'keyed') {
      const key = f.keys.find((k) => parsePath(k.path).every((s, i) => rest[i] === s));
      return key ? `${f.labels[0]} · ${key.labels[0]}` : f.labels[0];
    }
    if (f.kind === 'grid') {
      const col = f.columns.find((c) => c.key === rest[1]);
      return typeof rest[0] === 'number'
        ? t('field.row', { label: col ? `${f.labels[0]} · ${col.labels[0]}` : f.labels[0], row: rest[0] + 1 })
        : f.labels[0];
    }
    if (f.kind === 'reviews')
      return `${fieldLabel(f)}${typeof rest[0] === 'number' ? ` ${rest[0] + 1}` : ''}${rest[1] ? ` · ${String(rest[1])}` : ''}`;
  }
  return path;
}

const AMOUNT = /^-?\d+(\.\d+)?$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

function isDate(v: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v)) return false;
  const d = new Date(`${v}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(v);
}

/** Why a value of this type is not valid, or null. Empty values are valid unless required. */
export function invalidReason(type: ValueType, value: unknown, required = false): string | null {
  if (value === null || value === undefined || value === '' || (Array.isArray(value) && !value.length))
    return required ? t('invalid.required') : null;
  if (typeof value !== 'string') return null;
  if ((type === 'amount' || type === 'decimal' || type === 'percent') && !AMOUNT.test(value.trim()))
    return t('invalid.amount');
  if (type === 'month' && !MONTH.test(value.trim())) return t('invalid.month');
  if (type === 'date' && !isDate(value.trim())) return t('invalid.date');
  return null;
}

/** Amounts are kept with two decimals, as the contract writes them ("226" → "226.00"). */
export function normaliseAmount(value: string): string {
  const v = value.trim();
  if (!AMOUNT.test(v)) return value;
  const [int, frac = ''] = v.split('.');
  if (frac.length > 2) return value;
  return `${int}.${frac.padEnd(2, '0')}`;
}
