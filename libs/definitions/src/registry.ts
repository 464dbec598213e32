import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { FieldDefinition, FormDefinition } from './definition.types';
import { editionForYear } from './summary';

const FIELD_KINDS = new Set(['cell', 'line', 'grid', 'keyed', 'reviews', 'matrix']);

/** templates/ sits at the repository root, above both src/ and dist/. */
export function findTemplatesDir(start = __dirname): string {
  let dir = resolve(start);
  for (;;) {
    const candidate = join(dir, 'templates');
    if (existsSync(join(candidate)) && existsSync(join(dir, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no templates/ folder found above ${start}`);
    dir = parent;
  }
}

function assertDefinition(def: FormDefinition, file: string): void {
  const fail = (why: string) => {
    throw new Error(`form definition ${file} is invalid: ${why}`);
  };
  for (const key of ['formType', 'edition', 'contractVersion', 'yearPattern'] as const) {
    if (typeof def[key] !== 'string' || !def[key]) fail(`${key} is missing`);
  }
  if (!def.title?.text || !Array.isArray(def.title.variants)) fail('title.text/variants missing');
  // A null default: the form type prints no attachment label of its own.
  if (!def.attachmentLabel || (def.attachmentLabel.default !== null && !def.attachmentLabel.default))
    fail('attachmentLabel.default missing');
  if (!Array.isArray(def.fields) || def.fields.length === 0) fail('fields missing');
  if (!Array.isArray(def.filingIdentity) || def.filingIdentity.length === 0) fail('filingIdentity missing');
  const paths = new Set<string>();
  for (const f of def.fields as FieldDefinition[]) {
    if (!FIELD_KINDS.has(f.kind)) fail(`field ${f.path} has unknown kind ${f.kind}`);
    if (paths.has(f.path)) fail(`field ${f.path} is defined twice`);
    paths.add(f.path);
    if (f.kind !== 'reviews' && (!Array.isArray(f.labels) || f.labels.length === 0))
      fail(`field ${f.path} has no labels`);
  }
}

/** Every form definition, read once from templates/. */
export class DefinitionRegistry {
  private readonly byType = new Map<string, FormDefinition>();

  constructor(readonly definitions: FormDefinition[]) {
    for (const d of definitions) {
      // The newest edition of a form type is the one new forms are generated from.
      const known = this.byType.get(d.formType);
      if (!known || known.edition < d.edition) this.byType.set(d.formType, d);
    }
  }

  static load(dir = findTemplatesDir()): DefinitionRegistry {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
    return new DefinitionRegistry(
      files.map((f) => {
        const def = JSON.parse(readFileSync(join(dir, f), 'utf8')) as FormDefinition;
        assertDefinition(def, f);
        return def;
      }),
    );
  }

  get(formType: string, edition?: string): FormDefinition | undefined {
    if (!edition) return this.byType.get(formType);
    return this.definitions.find((d) => d.formType === formType && d.edition === edition);
  }

  /** Every edition of a form type, oldest first. */
  editions(formType: string): FormDefinition[] {
    return this.definitions
      .filter((d) => d.formType === formType)
      .sort((a, b) => a.edition.localeCompare(b.edition));
  }

  /** The edition a filing year uses (`editionForYear`). */
  forYear(formType: string, year: number): FormDefinition | undefined {
    return editionForYear(this.editions(formType), year);
  }

  formTypes(): string[] {
    return [...this.byType.keys()];
  }

  /**
   * The department and project a record is filed for, as its definition's `summary` names them:
   * the columns records are listed, filtered and exported by.
   */
  summaryOf(record: Record<string, unknown>): { department: string | null; project: string | null } {
    const def = typeof record.formType === 'string' ? this.byType.get(record.formType) : undefined;
    const text = (path?: string) => {
      const v = path ? record[path] : undefined;
      return typeof v === 'string' && v.trim() ? v : null;
    };
    return { department: text(def?.summary?.department), project: text(def?.summary?.project) };
  }
}

let shared: DefinitionRegistry | undefined;

export function definitions(): DefinitionRegistry {
  shared ??= DefinitionRegistry.load();
  return shared;
}
