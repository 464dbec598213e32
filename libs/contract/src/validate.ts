import type { default as Ajv, ErrorObject, ValidateFunction } from 'ajv';
import type { FieldError } from '@formbridge/common';
import { DefinitionRegistry, FormDefinition, definitions } from '@formbridge/definitions';
import { PREBUILT_DIR, editionSchemas, loadPrebuilt, newAjv } from './prebuilt-validators';
import type { FormRecord } from './records';
import type { JsonSchema } from './schema';

function jsonPath(instancePath: string): string {
  let out = '$';
  for (const part of instancePath.split('/').slice(1)) {
    const key = part.replace(/~1/g, '/').replace(/~0/g, '~');
    out += /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
  }
  return out;
}

function fieldError(e: ErrorObject): FieldError {
  const path = jsonPath(e.instancePath);
  const name = path.replace(/^.*[.[]/, '').replace(/\]$/, '');
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return {
        path: `${path}.${missing}`,
        reason: `${missing} is missing (null when the form leaves it empty)`,
      };
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return { path: `${path}.${extra}`, reason: `property ${extra} should not exist` };
    }
    default: {
      const reason = (e.parentSchema as JsonSchema | undefined)?.['x-reason'];
      return { path, reason: `${name} ${reason ?? e.message ?? 'is invalid'}` };
    }
  }
}

/**
 * Record validation compiled from the form definitions: each definition becomes a JSON Schema,
 * compiled once by Ajv into a validating function (at build time for templates/, see
 * prebuilt-validators.ts). A record is valid when it matches an edition of its form type; errors
 * are those of the newest edition.
 */
export class ContractValidator {
  private readonly byType = new Map<string, Array<{ def: FormDefinition; validate: ValidateFunction }>>();
  readonly schemas = new Map<string, JsonSchema>();
  /** Where the functions came from: the build's prebuilt file, or Ajv at run time. */
  readonly compiled: 'prebuilt' | 'run time';

  /** `prebuiltDir`: where to look for the build's validators (a test's folder; null: compile). */
  constructor(
    readonly registry: DefinitionRegistry,
    prebuiltDir: string | null = PREBUILT_DIR,
  ) {
    const editions = editionSchemas(registry);
    const prebuilt = prebuiltDir === null ? undefined : loadPrebuilt(editions, prebuiltDir);
    this.compiled = prebuilt ? 'prebuilt' : 'run time';
    let ajv: Ajv | undefined;
    for (const e of editions) {
      const validate = prebuilt?.get(e.id) ?? (ajv ??= newAjv()).compile(e.schema);
      const known = this.byType.get(e.formType);
      if (known) known.push({ def: e.def, validate });
      else {
        this.byType.set(e.formType, [{ def: e.def, validate }]);
        this.schemas.set(e.formType, e.record);
      }
    }
  }

  formTypes(): string[] {
    return [...this.byType.keys()];
  }

  validate(plain: unknown): FieldError[] {
    if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
      return [{ path: '$', reason: 'a record must be a JSON object' }];
    }
    const formType = (plain as { formType?: unknown }).formType;
    const validators = typeof formType === 'string' ? this.byType.get(formType) : undefined;
    if (!validators) {
      return [{ path: '$.formType', reason: `formType must be one of: ${this.formTypes().join(', ')}` }];
    }
    for (const v of validators) if (v.validate(plain)) return [];
    return dedupe((validators[0].validate.errors ?? []).map(fieldError));
  }

  /**
   * The edition a record is drawn in: the one its year uses when the record fits it, else the
   * newest it fits, else the one its year uses (and validation says why it does not fit).
   */
  editionFor(record: Record<string, unknown>): FormDefinition | undefined {
    const formType = String(record.formType);
    const preferred =
      typeof record.year === 'number'
        ? this.registry.forYear(formType, record.year)
        : this.registry.get(formType);
    const validators = this.byType.get(formType) ?? [];
    if (validators.find((v) => v.def === preferred)?.validate(record)) return preferred;
    return validators.find((v) => v.validate(record))?.def ?? preferred;
  }
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.path}\u0000${e.reason}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

let shared: ContractValidator | undefined;

export function contractValidator(): ContractValidator {
  shared ??= new ContractValidator(definitions());
  return shared;
}

export function isFormType(value: unknown): value is string {
  return typeof value === 'string' && contractValidator().formTypes().includes(value);
}

/**
 * Checks a plain object against the record contract. Paths are JSON paths (`$.budget.total`).
 * Unknown properties are errors, so a typo never silently drops data.
 */
export function validateRecord(plain: unknown): FieldError[] {
  return contractValidator().validate(plain);
}

export function assertRecord(plain: unknown): asserts plain is FormRecord {
  const errors = validateRecord(plain);
  if (errors.length) {
    const err = new Error(errors.map((e) => `${e.path}: ${e.reason}`).join('\n'));
    throw Object.assign(err, { fieldErrors: errors });
  }
}
