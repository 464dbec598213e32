import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { default as Ajv, ValidateFunction } from 'ajv';
import { DefinitionRegistry, FormDefinition, definitions } from '@formbridge/definitions';
import { JsonSchema, recordSchema } from './schema';

/**
 * The record validators, compiled ahead of time.
 *
 * Ajv turns each edition's JSON Schema into a function at run time. In every isolate that
 * validates (the CLI's, each parse thread's and each generate thread's) that took 0.09–0.17 s,
 * and ran Ajv's code generator long enough for V8 to optimise it (0.3 s of compile jobs on the
 * helper threads): about 0.2 s of CPU per isolate in all, before its first file (docs/bench.md,
 * "Tenth look"). `npm run build` writes Ajv's standalone code for templates/ once, into a file named by
 * a hash of everything the code is made from (Ajv's version, its options, every schema). A
 * validator loads that file only when its own registry hashes the same, and compiles at run time
 * otherwise: a template edited since the build, a registry of a test, the sources under ts-jest.
 */
export const PREBUILT_DIR = join(__dirname, '..', 'prebuilt');

const AJV_OPTIONS = { allErrors: true, verbose: true, strict: true, allowUnionTypes: true } as const;

/** One edition's schema as Ajv gets it, with the id its compiled function goes by. */
export interface EditionSchema {
  formType: string;
  def: FormDefinition;
  id: string;
  /** The edition's record schema, as the contract states it. */
  record: JsonSchema;
  /** The same as Ajv compiles it. */
  schema: object;
}

/** Every edition of every form type, newest edition of each type first. */
export function editionSchemas(registry: DefinitionRegistry): EditionSchema[] {
  return registry.formTypes().flatMap((formType) =>
    registry
      .editions(formType)
      .reverse()
      .map((def) => {
        const id = `formbridge:${formType}:${def.edition}`;
        const record = recordSchema(def);
        return { formType, def, id, record, schema: { $id: id, ...toAjv(record) } };
      }),
  );
}

/** Ajv itself is loaded only to compile: 25–30 ms of every isolate that uses the prebuilt file. */
export function newAjv(source = false): Ajv {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: AjvClass } = require('ajv') as { default: typeof Ajv };
  const ajv = new AjvClass({ ...AJV_OPTIONS, code: { source } });
  ajv.addKeyword({ keyword: 'x-reason', schemaType: 'string' });
  return ajv;
}

let ajvVersion: string | undefined;

/** What the compiled code depends on, as a short hex hash. */
export function schemasHash(schemas: readonly EditionSchema[]): string {
  ajvVersion ??= (
    JSON.parse(readFileSync(require.resolve('ajv/package.json'), 'utf8')) as { version: string }
  ).version;
  return createHash('sha256')
    .update(JSON.stringify({ ajv: ajvVersion, options: AJV_OPTIONS, schemas: schemas.map((s) => s.schema) }))
    .digest('hex')
    .slice(0, 16);
}

function fileFor(schemas: readonly EditionSchema[], dir: string): string {
  return join(dir, `validators-${schemasHash(schemas)}.js`);
}

/** The prebuilt functions by edition id, or undefined when `dir` holds none for these schemas. */
export function loadPrebuilt(
  schemas: readonly EditionSchema[],
  dir = PREBUILT_DIR,
): Map<string, ValidateFunction> | undefined {
  const file = fileFor(schemas, dir);
  if (!existsSync(file)) return undefined;
  // A file of the build, known only at run time; its code requires Ajv's runtime helpers.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const exported = require(file) as Record<string, unknown>;
  const out = new Map<string, ValidateFunction>();
  for (const s of schemas) {
    const validate = exported[s.id];
    if (typeof validate !== 'function') return undefined;
    out.set(s.id, validate as ValidateFunction);
  }
  return out;
}

/** Writes the registry's validators as Ajv standalone code into `dir`, replacing older ones. */
export function writePrebuilt(registry: DefinitionRegistry, dir = PREBUILT_DIR): string {
  const schemas = editionSchemas(registry);
  const ajv = newAjv(true);
  for (const s of schemas) ajv.addSchema(s.schema);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { default: standaloneCode } = require('ajv/dist/standalone') as typeof import('ajv/dist/standalone');
  const code = standaloneCode(ajv, Object.fromEntries(schemas.map((s) => [s.id, s.id])));
  mkdirSync(dir, { recursive: true });
  for (const f of readdirSync(dir)) if (/^validators-[0-9a-f]+\.js$/.test(f)) rmSync(join(dir, f));
  const file = fileFor(schemas, dir);
  writeFileSync(`${file}.tmp`, code);
  renameSync(`${file}.tmp`, file);
  return file;
}

/** Ajv reads `nullable` itself only alongside `type`; spelled out as a type list it needs no help. */
function toAjv(schema: JsonSchema): object {
  const { nullable, properties, items, ...rest } = schema;
  const out: Record<string, unknown> = { ...rest };
  if (nullable && typeof rest.type === 'string') out.type = [rest.type, 'null'];
  if (properties)
    out.properties = Object.fromEntries(Object.entries(properties).map(([k, v]) => [k, toAjv(v)]));
  if (items) out.items = toAjv(items);
  return out;
}

// `node dist/libs/contract/src/prebuilt-validators.js`: the last step of `npm run build`.
if (require.main === module) {
  const file = writePrebuilt(definitions());
  process.stdout.write(`prebuilt record validators: ${file}\n`);
}
