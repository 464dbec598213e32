import type { FormDefinition } from './definition.types';

/**
 * The amount that sums up a form (a fund's 资金总额, a department's budget total): its first
 * amount field, in the definition's order. Lists and exports total it.
 */
export function primaryAmountPath(def: FormDefinition): string | null {
  for (const field of def.fields) {
    if ((field.kind === 'cell' || field.kind === 'line') && field.type === 'amount') return field.path;
    if (field.kind === 'keyed') {
      const key = field.keys.find((k) => k.type === 'amount');
      if (key) return `${field.path}.${key.path}`;
    }
  }
  return null;
}

/**
 * The edition a filing year uses, of a form type's editions (oldest first): the newest whose
 * `years` include it; without such an edition, the newest that starts no later than the year,
 * else the newest of all. `export --as-year` draws in it, and the review page shows a record in it.
 */
export function editionForYear<D extends Pick<FormDefinition, 'years'>>(
  editions: readonly D[],
  year: number,
): D | undefined {
  const all = [...editions].reverse();
  const from = (d: D) => d.years?.from ?? -Infinity;
  const to = (d: D) => d.years?.to ?? Infinity;
  return all.find((d) => from(d) <= year && year <= to(d)) ?? all.find((d) => from(d) <= year) ?? all[0];
}

/** A form type as lists and filters name it (from GET /definitions). */
export interface DefinitionSummary {
  formType: string;
  edition: string;
  title: string;
  attachmentLabel: string | null;
  /** The amount that sums up a record of this form (null: the form has none). */
  amountPath: string | null;
  /** The fields that name a record's department and project (the definition's `summary`). */
  departmentPath: string | null;
  projectPath: string | null;
}

/** A definition as the API serves it (GET /definitions): the print layout left out, the amount path added. */
export type ServedDefinition = Omit<FormDefinition, 'layout'> & { amountPath: string | null };
