import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DefinitionRegistry, definitions } from '@formbridge/definitions';
import { writePrebuilt } from './prebuilt-validators';
import { ContractValidator } from './validate';

const GOLDEN = join(__dirname, '..', '..', '..', 'fixtures', 'golden');
const goldens = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.json'))
  .map((f) => JSON.parse(readFileSync(join(GOLDEN, f), 'utf8')) as Record<string, unknown>);

/** Each record, then one change at a time: a field removed, emptied, of the wrong type, one too many. */
function variants(record: Record<string, unknown>): unknown[] {
  const out: unknown[] = [record, { ...record, unknownField: 1 }];
  for (const [key, value] of Object.entries(record)) {
    const without = { ...record };
    delete without[key];
    out.push(without, { ...record, [key]: null }, { ...record, [key]: typeof value === 'string' ? 7 : 'x' });
    if (Array.isArray(value) && value[0] && typeof value[0] === 'object') {
      for (const inner of Object.keys(value[0] as object)) {
        out.push({ ...record, [key]: [{ ...(value[0] as object), [inner]: 12.345 }, ...value.slice(1)] });
      }
    } else if (value && typeof value === 'object') {
      for (const inner of Object.keys(value)) out.push({ ...record, [key]: { ...value, [inner]: '  ' } });
    }
  }
  return out;
}

describe('record validators prebuilt at build time', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'fb-prebuilt-'));
    writePrebuilt(definitions(), dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are loaded for the registry they were built from', () => {
    expect(new ContractValidator(definitions(), dir).compiled).toBe('prebuilt');
    expect(new ContractValidator(definitions(), null).compiled).toBe('run time');
  });

  it('judge every record as the validators compiled at run time do, errors and editions alike', () => {
    const prebuilt = new ContractValidator(definitions(), dir);
    const runTime = new ContractValidator(definitions(), null);
    const cases = goldens.flatMap(variants);
    expect(cases.length).toBeGreaterThan(300);
    let invalid = 0;
    for (const v of cases) {
      const errors = runTime.validate(v);
      if (errors.length) invalid++;
      expect(prebuilt.validate(v)).toEqual(errors);
      expect(prebuilt.editionFor(v as Record<string, unknown>)).toBe(
        runTime.editionFor(v as Record<string, unknown>),
      );
    }
    // The variants do reach the errors: most of them are invalid, the goldens are not.
    expect(invalid).toBeGreaterThan(cases.length / 2);
  });

  it('are not used for a registry whose schemas differ (a template changed since the build)', () => {
    const changed = definitions().definitions.map((d) => structuredClone(d));
    changed[0].title.text = `${changed[0].title.text}（修订）`;
    const validator = new ContractValidator(new DefinitionRegistry(changed), dir);
    expect(validator.compiled).toBe('run time');
    expect(validator.validate(goldens[0])).toEqual(
      new ContractValidator(definitions(), null).validate(goldens[0]),
    );
  });

  it('are not used when the file lacks an edition’s function', () => {
    const other = mkdtempSync(join(tmpdir(), 'fb-prebuilt-'));
    try {
      const file = writePrebuilt(definitions(), other);
      writeFileSync(file, '"use strict"; exports.nothing = 1;');
      expect(new ContractValidator(definitions(), other).compiled).toBe('run time');
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });

  it('are written once: a new build replaces the older file', () => {
    writeFileSync(join(dir, 'validators-0123456789abcdef.js'), '"use strict";');
    const file = writePrebuilt(definitions(), dir);
    expect(readdirSync(dir)).toEqual([file.slice(dir.length + 1)]);
  });
});
