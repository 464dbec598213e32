import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { writeVariants } from './support/bulk-files';
import {
  Running,
  TEST_DATABASE_URL,
  dropQueues,
  dropSchema,
  freePort,
  start,
  testEnv,
  waitFor,
} from './support/bulk-env';
import { ROOT } from './support/cli';
import { PrivatePostgres, PrivateRedis } from './support/private-servers';

/**
 * Faults driven with real processes (issue 10): servers that are down at start, killed or
 * restarted under a running import, signals while a server is gone, two processes on one
 * embedded database, two deployments on one Redis. Each ends with every file stored exactly once
 * (or a clear refusal) and a process that exited.
 */

const CLI = join(ROOT, 'bin', 'formbridge.js');
const PARSER = join(ROOT, 'dist', 'apps', 'parser', 'src', 'main.js');
/** Six jobs of JOB_ITEMS, four at a time: a server killed once 20 are stored goes mid-batch. */
const FILES = 600;

/**
 * Fast stall detection: jobs whose worker lost Redis are run again within seconds. Warnings shown:
 * the outage messages are what these tests read.
 */
const fast = {
  LOG_LEVEL: 'warn',
  JOB_LOCK_MS: '2000',
  JOB_STALLED_CHECK_MS: '1000',
  PARSE_CONCURRENCY: '4',
  SHUTDOWN_TIMEOUT_MS: '2000',
};

async function sql<T>(url: string, schema: string, text: string): Promise<T[]> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`SET search_path TO "${schema}"`);
    return (await client.query(text)).rows as T[];
  } catch {
    return []; // tables not created yet
  } finally {
    await client.end();
  }
}

const doneItems = async (url: string, schema: string) =>
  (
    await sql<{ n: number }>(url, schema, `SELECT count(*)::int AS n FROM batch_items WHERE status = 'done'`)
  )[0]?.n ?? 0;

async function storedCounts(url: string, schema: string) {
  const [row] = await sql<{ records: number; versions: number; documents: number }>(
    url,
    schema,
    `SELECT (SELECT count(*)::int FROM records) AS records, (SELECT count(*)::int FROM record_versions) AS versions,
            (SELECT count(DISTINCT document_id)::int FROM records) AS documents`,
  );
  return row;
}

const occurrences = (text: string, pattern: RegExp) => text.match(new RegExp(pattern, 'g'))?.length ?? 0;

function summaryOf(run: Running): Record<string, unknown> {
  return JSON.parse(run.stdout()) as Record<string, unknown>;
}

async function exitedWithin(run: Running, ms: number): Promise<number | NodeJS.Signals | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<'still running'>(
    (resolve) => (timer = setTimeout(() => resolve('still running'), ms)),
  );
  const result = await Promise.race([run.exited, late]);
  clearTimeout(timer);
  if (result === 'still running') {
    run.child.kill('SIGKILL');
    throw new Error(`the process did not exit within ${ms} ms; stderr: ${run.stderr()}`);
  }
  return result;
}

describe('faults with real processes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-faults-'));
  const running: Running[] = [];
  const cleanups: Array<() => Promise<void> | void> = [];
  const run = (args: string[], env: Record<string, string>) => {
    const r = start([CLI, ...args], env);
    running.push(r);
    return r;
  };
  /** `formbridge import` of the test files, once `atLeast` of them are stored. */
  const importUnderWay = async (env: Record<string, string>, atLeast = 20) => {
    const importer = run(['import', '--compact', join(dir, 'in')], env);
    await waitFor(
      async () => (await doneItems(env.DATABASE_URL, env.DATABASE_SCHEMA)) >= atLeast,
      120_000,
      'the import to be under way',
    );
    return importer;
  };
  /** The command ended well, and every file's record is stored exactly once. */
  const expectEveryFileOnce = async (importer: Running, env: Record<string, string>) => {
    expect(await exitedWithin(importer, 180_000)).toBe(0);
    expect(summaryOf(importer)).toMatchObject({
      status: 'completed',
      files: FILES,
      imported: FILES,
      failed: 0,
    });
    expect(await storedCounts(env.DATABASE_URL, env.DATABASE_SCHEMA)).toEqual({
      records: FILES,
      versions: FILES,
      documents: FILES,
    });
  };

  beforeAll(() => {
    writeVariants(join(dir, 'in'), FILES, 'f');
  });

  afterAll(async () => {
    for (const r of running)
      if (r.child.exitCode === null && r.child.signalCode === null) r.child.kill('SIGKILL');
    for (const c of cleanups.reverse()) await c();
    rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('Redis not answering at start: the import and the parser service say so in one line and exit within seconds', async () => {
    const env = testEnv({ REDIS_URL: `redis://127.0.0.1:${await freePort()}`, CONNECT_TIMEOUT_MS: '2000' });
    cleanups.push(() => dropSchema(env.DATABASE_SCHEMA));
    const started = Date.now();
    const importer = run(['import', join(dir, 'in')], env);
    expect(await exitedWithin(importer, 30_000)).toBe(15);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(importer.stderr()).toMatch(
      /^formbridge: Redis at 127\.0\.0\.1:\d+ is not answering \(.*\): start it, or check REDIS_URL\n$/,
    );

    const service = start([PARSER], { ...env, PARSER_PORT: String(await freePort()) });
    running.push(service);
    expect(await exitedWithin(service, 60_000)).toBe(15);
    expect(service.stderr()).toMatch(
      /formbridge parser: cannot start: Redis at 127\.0\.0\.1:\d+ is not answering/,
    );
    expect(service.stderr()).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('a second process on the same embedded database is refused at start, saying what to do instead', async () => {
    const env = testEnv({ DATABASE_URL: '', PGLITE_DIR: join(dir, 'pglite-second') });
    cleanups.push(() => dropQueues(env.QUEUE_PREFIX));
    const worker = run(['worker', '--queues', 'parse'], env);
    await waitFor(
      async () => worker.stderr().includes('consuming'),
      60_000,
      `the worker to start (${worker.stderr()})`,
    );

    const second = run(['import', join(dir, 'in', 'variant-0001.docx')], env);
    expect(await exitedWithin(second, 60_000)).toBe(16);
    expect(second.stderr()).toMatch(/embedded database .* is in use by another process \(pid \d+/);
    expect(second.stderr()).toContain('formbridge serve');
    expect(second.stderr()).toContain('DATABASE_URL');

    const service = start([PARSER], { ...env, PARSER_PORT: String(await freePort()) });
    running.push(service);
    expect(await exitedWithin(service, 60_000)).toBe(16);
    expect(service.stderr()).toContain('formbridge serve');

    worker.child.kill('SIGTERM');
    expect(await exitedWithin(worker, 15_000)).toBe(143);
    // Its lock went with it: the folder opens again, and holds what was imported into it once.
    const again = run(['import', '--compact', join(dir, 'in', 'variant-0001.docx')], env);
    expect(await exitedWithin(again, 120_000)).toBe(0);
    expect(summaryOf(again)).toMatchObject({ status: 'completed', imported: 1, failed: 0, newRecords: 1 });
  }, 240_000);

  it('two deployments on one Redis with the default prefix never take each other’s jobs', async () => {
    const redis = await PrivateRedis.start();
    cleanups.push(() => redis.stop());
    const shared = { REDIS_URL: redis.url, QUEUE_PREFIX: 'formbridge' };
    // Deployment A: a parser service on PostgreSQL, fed by an import that only queues.
    const a = testEnv({ ...shared, ...fast });
    cleanups.push(() => dropSchema(a.DATABASE_SCHEMA));
    const service = start([PARSER], { ...a, PARSER_PORT: String(await freePort()) });
    running.push(service);
    // Deployment B: the command line alone, on the embedded database.
    const b = testEnv({ ...shared, ...fast, DATABASE_URL: '', PGLITE_DIR: join(dir, 'pglite-b') });
    const aDir = join(dir, 'deploy-a');
    const bDir = join(dir, 'deploy-b');
    writeVariants(aDir, 20, 'a');
    writeVariants(bDir, 20, 'b');

    const importA = run(['import', '--no-local-workers', '--compact', aDir], a);
    const importB = run(['import', '--compact', bDir], b);
    expect(await exitedWithin(importA, 150_000)).toBe(0);
    expect(await exitedWithin(importB, 150_000)).toBe(0);
    for (const r of [importA, importB])
      expect(summaryOf(r)).toMatchObject({
        status: 'completed',
        files: 20,
        imported: 20,
        failed: 0,
        newRecords: 20,
      });
    expect(await storedCounts(TEST_DATABASE_URL, a.DATABASE_SCHEMA)).toEqual({
      records: 20,
      versions: 20,
      documents: 20,
    });
    const projects = await sql<{ p: string }>(
      TEST_DATABASE_URL,
      a.DATABASE_SCHEMA,
      `SELECT project_name AS p FROM records`,
    );
    expect(projects.every((r) => r.p.includes('基层政权和社区a'))).toBe(true);
    const listB = spawnSync(process.execPath, [CLI, 'records'], {
      env: { ...process.env, ...b },
      encoding: 'utf8',
    });
    expect(listB.stderr).toContain('20 records');
    expect(listB.stdout).not.toContain('基层政权和社区a');

    service.child.kill('SIGTERM');
    expect(await exitedWithin(service, 15_000)).toBe('SIGTERM');
  }, 300_000);

  /** An import under way on a Redis of its own (so it can be killed), cleaned up after the test. */
  const importOnPrivateRedis = async (overrides: Record<string, string> = {}, atLeast?: number) => {
    const redis = await PrivateRedis.start();
    cleanups.push(() => redis.stop());
    const env = testEnv({ ...fast, REDIS_URL: redis.url, ...overrides });
    cleanups.push(() => dropSchema(env.DATABASE_SCHEMA));
    const importer = await importUnderWay(env, atLeast);
    return { redis, env, importer };
  };

  it('Redis killed and restarted mid-batch: the import says so once, waits, and stores every file exactly once', async () => {
    const { redis, env, importer } = await importOnPrivateRedis();
    await redis.kill();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await redis.restart();

    await expectEveryFileOnce(importer, env);
    expect({ lost: occurrences(importer.stderr(), /lost Redis/), stderr: importer.stderr() }).toMatchObject({
      lost: 1,
    });
    expect(importer.stderr()).toMatch(/Redis is back after/);
    expect(importer.stderr()).not.toMatch(/ECONNREFUSED[\s\S]*ECONNREFUSED/);
  }, 300_000);

  it('PostgreSQL restarted mid-batch: the import says so once, waits, and stores every file exactly once', async () => {
    const pg = await PrivatePostgres.start();
    cleanups.push(() => pg.stop());
    const env = testEnv({ ...fast, DATABASE_URL: pg.url });
    cleanups.push(() => dropQueues(env.QUEUE_PREFIX));
    const importer = await importUnderWay(env);
    await pg.restart(2000);

    await expectEveryFileOnce(importer, env);
    expect(occurrences(importer.stderr(), /lost PostgreSQL/)).toBe(1);
    expect(importer.stderr()).toMatch(/PostgreSQL is back after/);
  }, 300_000);

  it('SIGTERM while Redis is down ends the import within seconds, naming the batch; the same command resumes it', async () => {
    const { redis, env, importer } = await importOnPrivateRedis();
    await redis.kill();
    await waitFor(async () => importer.stderr().includes('lost Redis'), 15_000, 'the import to notice');
    const stopping = Date.now();
    importer.child.kill('SIGTERM');
    expect(await exitedWithin(importer, 15_000)).toBe(143);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(importer.stderr()).toMatch(
      /import batch \d+ stopped before it was finished; run the same command again to resume it/,
    );

    await redis.restart();
    const again = run(['import', '--compact', join(dir, 'in')], env);
    await expectEveryFileOnce(again, env);
  }, 300_000);

  it('Redis gone longer than OUTAGE_TIMEOUT_MS: the import stops by itself, naming the batch and how to resume it', async () => {
    const { redis, importer } = await importOnPrivateRedis({ OUTAGE_TIMEOUT_MS: '3000' }, 5);
    await redis.kill();
    expect(await exitedWithin(importer, 30_000)).toBe(15);
    expect(importer.stderr()).toMatch(
      /formbridge: Redis has not answered for \d+ s: import batch \d+ stopped before it was finished; run the same command again to resume it/,
    );
  }, 180_000);
});
