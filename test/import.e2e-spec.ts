import { copyFileSync, cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ErrorCode } from '@formbridge/common';
import { Storage } from '@formbridge/storage';
import {
  BAD_FIXTURES,
  WORD_FIXTURES,
  seedVariant,
  variantProject,
  writeVariants,
  zipOf,
} from './support/bulk-files';
import { dropQueues, dropSchema, testConfig, testEnv } from './support/bulk-env';
import { ROOT, formbridge } from './support/cli';

interface Summary {
  batchId: number;
  status: string;
  files: number;
  imported: number;
  failed: number;
  records: number;
  newRecords: number;
  failures: Array<{ file: string; code: string; reason: string }>;
  warnings: Array<{ file: string; code: string; recordIndex: number | null }>;
}

/** The refusals fixtures/bad/README.md promises (zip-slip.docx is readable: parts are never extracted). */
const BAD: Record<string, ErrorCode | ErrorCode[]> = {
  'empty.docx': ErrorCode.EmptyFile,
  'not-a-zip.docx': ErrorCode.NotWord,
  'image.docx': ErrorCode.NotWord,
  'truncated.docx': ErrorCode.CorruptFile,
  'no-document-xml.docx': ErrorCode.MissingDocumentPart,
  'zip-bomb.docx': ErrorCode.InflatedTooLarge,
  // caught by the reader's directory sanity check before any inflating, or by the inflate cap
  'zip-bomb-lying-size.docx': [ErrorCode.InflatedTooLarge, ErrorCode.CorruptFile],
  'doctype-entities.docx': ErrorCode.UnsafeXml,
  'external-entity.docx': ErrorCode.UnsafeXml,
  'encrypted.docx': ErrorCode.Encrypted,
};

function runImport(paths: string[], env: Record<string, string>, cwd: string): Summary {
  const run = formbridge(['import', '--compact', ...paths], { ...env, PWD: cwd });
  if (run.status !== 0) throw new Error(`import exited ${run.status}: ${run.stderr}`);
  return JSON.parse(run.stdout) as Summary;
}

describe('formbridge import (PostgreSQL + Redis)', () => {
  const env = testEnv();
  const dir = mkdtempSync(join(tmpdir(), 'fb-import-'));
  let storage: Storage;
  let first: Summary;

  beforeAll(async () => {
    storage = await Storage.open(testConfig(env));
    // 200 files: 149 distinct variants of seed 1, the other seeds, one legacy .doc, an archive of
    // 30 more (plus a non-Word entry that is skipped), an archive holding a path-traversal name
    // (refused whole), 10 refused fixtures, 4 files of random bytes and a Word file with no known form.
    writeVariants(join(dir, 'in', 'folder'), 149);
    for (const f of ['seed-2.docx', 'seed-3.docx', 'seed-4.docx', 'seed-all.docx'])
      copyFileSync(join(WORD_FIXTURES, f), join(dir, 'in', 'folder', f));
    copyFileSync(
      join(ROOT, 'fixtures', 'legacy', 'doc', 'seed-1.doc'),
      join(dir, 'in', 'folder', 'legacy.doc'),
    );
    const entries: Record<string, Uint8Array> = {
      'readme.txt': new TextEncoder().encode('not a submission'),
    };
    for (let i = 1; i <= 30; i++) entries[`zipped/z-${i}.docx`] = seedVariant(`z${i}`);
    writeFileSync(join(dir, 'in', 'archive.zip'), zipOf(entries));
    writeFileSync(
      join(dir, 'in', 'slip.zip'),
      zipOf({ 'ok.docx': seedVariant('ok'), '../../evil-slip.docx': seedVariant('slip') }),
    );
    for (const f of Object.keys(BAD))
      copyFileSync(join(BAD_FIXTURES, f), join(dir, 'in', 'folder', `bad-${f}`));
    for (let i = 1; i <= 4; i++)
      writeFileSync(join(dir, 'in', 'folder', `random-${i}.docx`), randomBytes(2000));
    // A Word file holding no form we know: imported, no record, a warning that says so.
    copyFileSync(
      join(ROOT, 'fixtures', 'quirks', 'no-known-form.docx'),
      join(dir, 'in', 'folder', 'unknown-form.docx'),
    );
  });

  afterAll(async () => {
    await storage?.close();
    await dropSchema(env.DATABASE_SCHEMA);
    await dropQueues(env.QUEUE_PREFIX);
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports 200 mixed files: every good form stored, every bad file reported with its reason', async () => {
    first = runImport([join(dir, 'in')], env, dir);
    expect(first).toMatchObject({
      status: 'completed',
      files: 200,
      imported: 185,
      failed: 15,
      records: 187,
      // One record per filing: seed-all repeats seed-2, -3 and -4, and the .doc is seed 1 again.
      newRecords: 183,
    });

    const byFile = new Map(first.failures.map((f) => [f.file.split('/').pop() as string, f]));
    for (const [name, code] of Object.entries(BAD)) {
      expect([code].flat()).toContain(byFile.get(`bad-${name}`)?.code);
      expect(byFile.get(`bad-${name}`)?.reason).toEqual(expect.any(String));
    }
    for (let i = 1; i <= 4; i++)
      expect(byFile.get(`random-${i}.docx`)).toMatchObject({ code: ErrorCode.NotWord });
    expect(byFile.get('slip.zip')).toMatchObject({
      code: ErrorCode.UnsafePackage,
      reason: expect.stringContaining('../../evil-slip.docx'),
    });
    // Warnings name the file and the record they are about.
    expect(first.warnings).toContainEqual(
      expect.objectContaining({
        file: join(dir, 'in', 'folder', 'unknown-form.docx'),
        code: 'no-form-found',
      }),
    );
    expect(first.warnings.every((w) => w.file.includes(dir) && w.code)).toBe(true);

    const [{ n }] = await storage.db.query<{ n: number }>('SELECT count(*)::int AS n FROM records');
    expect(n).toBe(183);
    const [{ versions }] = await storage.db.query<{ versions: number }>(
      'SELECT count(*)::int AS versions FROM record_versions',
    );
    expect(versions).toBe(183);
    // Every form is attributed once: the repeated ones are sources of the record they repeat.
    const [{ sources }] = await storage.db.query<{ sources: number }>(
      'SELECT count(*)::int AS sources FROM record_sources',
    );
    expect(sources).toBe(187);
    const [seed4] = await storage.records.list(
      { formType: 'department-overall-performance-target' },
      { limit: 5 },
    );
    expect(seed4.sources.map((s) => [s.file.split('/').pop(), s.formIndex]).sort()).toEqual([
      ['seed-4.docx', 0],
      ['seed-all.docx', 3],
    ]);
    // Archives are read in memory, never extracted: nothing was written for the traversal name.
    expect(readdirSync(dir).filter((f) => f.includes('evil'))).toEqual([]);
    expect(existsSync(join(dir, '..', 'evil-slip.docx'))).toBe(false);
    expect(await storage.records.count({ project: variantProject('slip') })).toBe(0);
    const zipped = await storage.records.list({ project: variantProject('z7') }, { limit: 5 });
    expect(zipped.map((r) => r.source.file)).toEqual([`${join(dir, 'in', 'archive.zip')}!/zipped/z-7.docx`]);
    // Every file read is stored once, in the database (never in Redis).
    const [{ blobs }] = await storage.db.query<{ blobs: number }>('SELECT count(*)::int AS blobs FROM blobs');
    expect(blobs).toBe(199);
  });

  it('importing the same files again adds no record', async () => {
    const again = runImport([join(dir, 'in')], env, dir);
    expect(again).toMatchObject({
      status: 'completed',
      files: 200,
      imported: 185,
      failed: 15,
      records: 187,
      newRecords: 0,
    });
    expect(again.batchId).not.toBe(first.batchId);
    expect(again.failures.map((f) => [f.file, f.code]).sort()).toEqual(
      first.failures.map((f) => [f.file, f.code]).sort(),
    );
    const [{ n }] = await storage.db.query<{ n: number }>('SELECT count(*)::int AS n FROM records');
    expect(n).toBe(183);
  });

  it('lists the stored records as JSON: the records themselves plus id and source', () => {
    const run = formbridge(
      [
        'records',
        '--json',
        '--year',
        '2019',
        '--form-type',
        'special-fund-performance-target',
        '--project',
        '基层政权',
      ],
      env,
    );
    expect(run.status).toBe(0);
    const records = JSON.parse(run.stdout) as Array<Record<string, unknown>>;
    // 148 + 30 + 1 variants, and seed 1 (from seed-all and from the .doc: one filing)
    expect(records).toHaveLength(180);
    expect(records[0]).toMatchObject({
      formType: 'special-fund-performance-target',
      year: 2019,
      id: expect.any(Number),
      version: 1,
      source: { sha256: expect.stringMatching(/^[0-9a-f]{64}$/), formIndex: 0, file: expect.any(String) },
    });
    const table = formbridge(['records', '--form-type', 'department-overall-performance-target'], env);
    expect(table.status).toBe(0);
    expect(table.stdout.trim().split('\n')).toHaveLength(1 + 1); // header, seed 4 (seed-4 and seed-all's form 4)
  });
});

describe('formbridge import into the embedded database (PGlite, no DATABASE_URL)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-pglite-'));
  const env = testEnv({ DATABASE_URL: '', PGLITE_DIR: join(dir, 'pglite') });

  beforeAll(() => {
    // A backup of the database as it stands before any import, restored in a test below.
    expect(formbridge(['records'], env).status).toBe(0);
    cpSync(join(dir, 'pglite'), join(dir, 'pglite-backup'), { recursive: true });
  });

  afterAll(async () => {
    await dropQueues(env.QUEUE_PREFIX);
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports, stores each record once on re-import, and lists them', () => {
    writeVariants(join(dir, 'in'), 10, 'p');
    copyFileSync(join(BAD_FIXTURES, 'truncated.docx'), join(dir, 'in', 'truncated.docx'));
    const first = runImport([join(dir, 'in')], env, dir);
    expect(first).toMatchObject({
      status: 'completed',
      files: 11,
      imported: 10,
      failed: 1,
      records: 10,
      newRecords: 10,
    });
    expect(first.failures).toEqual([expect.objectContaining({ code: ErrorCode.CorruptFile })]);
    const again = runImport([join(dir, 'in')], env, dir);
    expect(again).toMatchObject({ files: 11, imported: 10, failed: 1, records: 10, newRecords: 0 });
    const listed = formbridge(['records', '--json'], env);
    expect(listed.status).toBe(0);
    const records = JSON.parse(listed.stdout) as Array<{ projectName: string }>;
    expect(records.map((r) => r.projectName).sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => variantProject(`p${i + 1}`)).sort(),
    );
  });

  it('ends by itself when a re-import has nothing left to parse', () => {
    // Every file stored and parsed before: no parse job runs, and the parse threads the command
    // started as it opened never get a task. They once held the process open for ever.
    writeVariants(join(dir, 'parsed'), 3, 'q');
    expect(runImport([join(dir, 'parsed')], env, dir)).toMatchObject({ imported: 3, newRecords: 3 });
    const started = Date.now();
    const again = formbridge(['import', '--compact', join(dir, 'parsed')], { ...env, PWD: dir });
    expect(again.error).toBeUndefined();
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ status: 'completed', imported: 3, newRecords: 0 });
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it('imports into a new embedded database on the same Redis, whose old batches had the same numbers', () => {
    // A deleted data folder starts batch numbers at 1 again while Redis still holds the jobs of
    // the old database's batch 1: job ids carry the database's own id, so nothing is mistaken.
    const fresh = { ...env, PGLITE_DIR: join(dir, 'pglite-2') };
    const run = runImport([join(dir, 'in')], fresh, dir);
    expect(run).toMatchObject({ batchId: 1, status: 'completed', imported: 10, failed: 1, newRecords: 10 });
  });

  it('imports into a database restored from a backup, whose next batch numbers Redis has seen', () => {
    // The restored database keeps its instance id and numbers its next batch 1 again, while Redis
    // still holds the finished jobs of the batches 1 and 2 imported above: they must not be taken
    // for the new batch's jobs (it used to wait for ever).
    cpSync(join(dir, 'pglite-backup'), join(dir, 'pglite-restored'), { recursive: true });
    const restored = { ...env, PGLITE_DIR: join(dir, 'pglite-restored') };
    const run = runImport([join(dir, 'in')], restored, dir);
    expect(run).toMatchObject({ batchId: 1, status: 'completed', imported: 10, failed: 1, newRecords: 10 });
  });

  it('refuses --no-local-workers: no other process can reach the embedded database', () => {
    const run = formbridge(['import', '--no-local-workers', join(dir, 'in')], env);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^formbridge: --no-local-workers needs a PostgreSQL server/);
  });
});
