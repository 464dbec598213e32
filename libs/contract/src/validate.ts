import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import type { FieldError } from '@formbridge/common';
import { FORM_TYPES, FormRecord, FormType, RECORD_CLASSES } from './records';

function flatten(errors: ValidationError[], prefix: string, out: FieldError[]): void {
  for (const e of errors) {
    const path = /^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`;
    for (const reason of Object.values(e.constraints ?? {})) out.push({ path, reason });
    if (e.children?.length) flatten(e.children, path, out);
  }
}

export function isFormType(value: unknown): value is FormType {
  return typeof value === 'string' && (FORM_TYPES as readonly string[]).includes(value);
}

/**
 * Checks a plain object against the record contract. Paths are JSON paths (`$.budget.total`).
 * Unknown properties are errors, so a typo never silently drops data.
 */
export function validateRecord(plain: unknown): FieldError[] {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return [{ path: '$', reason: 'a record must be a JSON object' }];
  }
  const formType = (plain as { formType?: unknown }).formType;
  if (!isFormType(formType)) {
    return [{ path: '$.formType', reason: `formType must be one of: ${FORM_TYPES.join(', ')}` }];
  }
  const instance = plainToInstance(RECORD_CLASSES[formType], plain) as object;
  const errors: FieldError[] = [];
  flatten(
    validateSync(instance, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
    '$',
    errors,
  );
  return errors;
}

export function assertRecord(plain: unknown): asserts plain is FormRecord {
  const errors = validateRecord(plain);
  if (errors.length) {
    const err = new Error(errors.map((e) => `${e.path}: ${e.reason}`).join('\n'));
    throw Object.assign(err, { fieldErrors: errors });
  }
}
