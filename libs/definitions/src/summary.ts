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

/** A form type as the API lists it (GET /definitions). */
export interface DefinitionSummary {
  formType: string;
  edition: string;
  title: string;
  attachmentLabel: string;
  /** The amount that sums up a record of this form (null: the form has none). */
  amountPath: string | null;
}

/** A definition as the API serves it (GET /definitions/:formType). */
export type ServedDefinition = FormDefinition & { amountPath: string | null };

export function serveDefinition(def: FormDefinition): ServedDefinition {
  return { ...def, amountPath: primaryAmountPath(def) };
}

export function summarise(def: FormDefinition): DefinitionSummary {
  return {
    formType: def.formType,
    edition: def.edition,
    title: def.title.text,
    attachmentLabel: def.attachmentLabel.default,
    amountPath: primaryAmountPath(def),
  };
}
