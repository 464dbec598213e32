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
