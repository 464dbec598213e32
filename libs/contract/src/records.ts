import { definitions } from '@formbridge/definitions';

/** Version of the record contract (shared/spec/RECORDS.md) the definitions implement. */
export const CONTRACT_VERSION = '1';

/** The form types of the definitions under templates/, in the order they were read. */
export const FORM_TYPES: readonly string[] = definitions().formTypes();
export type FormType = string;

/** A record of the contract: its shape is the JSON Schema compiled from its form's definition. */
export type FormRecord = Record<string, unknown> & { formType: string };
