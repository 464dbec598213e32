import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures');

/** JSON with keys sorted at every level: the contract compares records this way. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
}

/** The four golden records in seed order (seed-1 … seed-4). */
export function goldenRecords(): Record<string, unknown>[] {
  const dir = join(FIXTURES, 'golden');
  return readdirSync(dir)
    .filter((f) => f.startsWith('seed-') && f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);
}

/** The .docx fixtures under `dir`, as `producer/file.docx`, of every producer that has a folder there. */
export function producerFixtures(dir: string): string[] {
  return ['word', 'wps', 'libreoffice'].flatMap((producer) =>
    existsSync(join(dir, producer))
      ? readdirSync(join(dir, producer))
          .filter((f) => f.endsWith('.docx'))
          .map((f) => join(producer, f))
      : [],
  );
}

/** What a fixture must parse to: the `.expected.json` beside it. */
export function expectedBeside<T>(dir: string, file: string): T {
  return JSON.parse(readFileSync(join(dir, file.replace(/\.docx$/, '.expected.json')), 'utf8')) as T;
}

/** A golden record of fixtures/golden by its id (`seed-1`, `extra-5`). */
export function golden(id: string): Record<string, unknown> {
  const dir = join(FIXTURES, 'golden');
  const file = readdirSync(dir).find((f) => f.startsWith(`${id}-`));
  if (!file) throw new Error(`no golden record ${id}`);
  return JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
}

/** Warnings as the expected files list them: code and path, in a fixed order. */
export function codesAndPaths(warnings: ReadonlyArray<{ code: string; path: string | null }>) {
  return warnings
    .map((w) => ({ code: w.code, path: w.path }))
    .sort((a, b) => canonical(a).localeCompare(canonical(b)));
}
