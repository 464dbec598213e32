import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import { QueueName, deploymentPrefix } from '@formbridge/queue';
import { Storage } from '@formbridge/storage';
import { writeVariants } from './support/bulk-files';
import {
  Running,
  TEST_REDIS_URL,
  dropQueues,
  dropSchema,
  start,
  testConfig,
  testEnv,
  waitFor,
} from './support/bulk-env';
import { ROOT } from './support/cli';

const SERVICE = join(ROOT, 'dist', 'apps', 'parser', 'src', 'main.js');
const CLI = join(ROOT, 'bin', 'formbridge.js');
const FILES = 600;

describe('a parse worker killed with SIGKILL in the middle of a batch', () => {
  // Short locks so the dead worker's jobs are noticed as stalled within seconds.
  const env = testEnv({
    JOB_LOCK_MS: '2000',
    JOB_STALLED_CHECK_MS: '1000',
    PARSE_CONCURRENCY: '4',
    PARSER_PORT: '0',
    LOG_LEVEL: 'error',
  });
  const dir = mkdtempSync(join(tmpdir(), 'fb-crash-'));
  const running: Running[] = [];
  let storage: Storage;
  let queue: Queue;

  beforeAll(async () => {
    writeVariants(join(dir, 'in'), FILES, 'k');
    storage = await Storage.open(testConfig(env));
    queue = new Queue(QueueName.Parse, {
      connection: { url: TEST_REDIS_URL },
      prefix: deploymentPrefix(env.QUEUE_PREFIX, storage.instanceId),
    });
  });

  afterAll(async () => {
    for (const r of running) r.child.kill('SIGKILL');
    await queue?.close();
    await storage?.close();
    await dropSchema(env.DATABASE_SCHEMA);
    await dropQueues(env.QUEUE_PREFIX);
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing: its jobs stall, another worker runs them, every record is stored exactly once', async () => {
    const first = start([SERVICE], env);
    running.push(first);
    await waitFor(
      async () => (await queue.getWorkersCount()) >= 1,
      30_000,
      'the first parser service to start its workers',
    );

    const importer = start([CLI, 'import', '--no-local-workers', '--compact', join(dir, 'in')], env);
    running.push(importer);

    // Kill the only worker while it holds jobs, part-way through the batch.
    const batchId = await waitFor(
      async () => {
        const [row] = await storage.db.query<{ id: number; done: number }>(
          `SELECT b.id, count(*) FILTER (WHERE i.status = 'done')::int AS done FROM batches b JOIN batch_items i ON i.batch_id = b.id GROUP BY b.id`,
        );
        return row && row.done >= 50 && (await queue.getActiveCount()) > 0 ? row.id : undefined;
      },
      60_000,
      'the first worker to be part-way through the batch',
    );
    first.child.kill('SIGKILL');
    expect(await first.exited).toBe('SIGKILL');
    const [{ done: doneAtKill }] = await storage.db.query<{ done: number }>(
      `SELECT count(*)::int AS done FROM batch_items WHERE batch_id = $1 AND status = 'done'`,
      [batchId],
    );
    expect(doneAtKill).toBeLessThan(FILES);

    const second = start([SERVICE], env);
    running.push(second);
    expect(await importer.exited).toBe(0);
    const summary = JSON.parse(importer.stdout()) as Record<string, unknown>;
    expect(summary).toMatchObject({
      batchId,
      status: 'completed',
      files: FILES,
      imported: FILES,
      failed: 0,
      records: FILES,
      newRecords: FILES,
    });

    const [counts] = await storage.db.query<{ records: number; versions: number; documents: number }>(
      `SELECT (SELECT count(*)::int FROM records) AS records, (SELECT count(*)::int FROM record_versions) AS versions,
              (SELECT count(DISTINCT document_id)::int FROM records) AS documents`,
    );
    expect(counts).toEqual({ records: FILES, versions: FILES, documents: FILES });
    // The jobs the dead worker held were run again after their locks ran out.
    const completed = await queue.getJobs(['completed'], 0, FILES + 10);
    expect(completed.filter((j) => j.stalledCounter > 0).length).toBeGreaterThan(0);

    // The surviving service shuts down on SIGTERM: Nest runs the shutdown hooks (workers close,
    // then Redis and the database) and re-raises the signal.
    const stopping = Date.now();
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe('SIGTERM');
    expect(Date.now() - stopping).toBeLessThan(10_000);
    expect(second.stderr()).not.toMatch(/error/i);
  }, 120_000);
});
