import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { createLog } from '@formbridge/common';
import {
  CHUNK_FILES,
  ImportService,
  JOB_ITEMS,
  JobName,
  PACE_WAITING_JOBS,
  QueueName,
  WorkerHost,
  jobIds,
  type JobHandler,
  type SubmissionFile,
} from '@formbridge/queue';
import { TestServers, testEnv } from './support/bulk-env';

/** `count` distinct small files: the producer stores and queues them; nothing here parses them. */
function* files(count: number): Iterable<SubmissionFile> {
  for (let i = 0; i < count; i++) yield { name: `f-${i}.docx`, bytes: randomBytes(512) };
}

const quiet = createLog('spec', { level: 'error', format: 'text', write: () => undefined });

/**
 * A paced import (the CLI's) reads its files no faster than the workers take the jobs, and keeps
 * its batch's guard from timing out while it does; it never waits on workers that do not come.
 */
describe('a paced import (PostgreSQL + Redis)', () => {
  const servers = new TestServers(testEnv({ PARSE_CONCURRENCY: '2', JOB_ATTEMPTS: '1' }));
  let host: WorkerHost | undefined;

  beforeAll(() => servers.open());

  afterEach(async () => {
    await host?.close();
    host = undefined;
  });

  afterAll(() => servers.close());

  it('keeps at most PACE_WAITING_JOBS and one chunk of jobs waiting while a slow worker drains them', async () => {
    const handler = <N extends JobName>(name: N, handle: JobHandler<N>['handle']): JobHandler =>
      ({ name, handle }) as JobHandler;
    let ran = 0;
    host = new WorkerHost(
      servers.redis,
      servers.config,
      [
        // 20 ms a job, two at a time: ~100 jobs/s, far slower than the producer stores files.
        handler(JobName.ParseSubmission, async () => {
          await sleep(20);
          ran++;
          return {};
        }),
        handler(JobName.SealImport, async () => ({})),
        handler(JobName.FinishImport, async () => ({})),
      ],
      { prefix: servers.queue.prefix, log: quiet },
    );
    host.start([QueueName.Parse]);

    const imports = new ImportService(servers.storage, servers.queue, { maxFileBytes: 1 << 20 });
    let most = 0;
    let done = false;
    const watch = (async () => {
      while (!done) {
        most = Math.max(most, await servers.queue.waiting('import'));
        await sleep(10);
      }
    })();
    // Four times the limit in jobs; read ahead unpaced, nearly all of them would wait at once.
    const jobs = 4 * (PACE_WAITING_JOBS + CHUNK_FILES / JOB_ITEMS);
    await imports.run(files(jobs * JOB_ITEMS), { paced: true });
    done = true;
    await watch;
    // One chunk is queued after each check.
    const perChunk = CHUNK_FILES / JOB_ITEMS;
    expect(most).toBeGreaterThan(0);
    expect(most).toBeLessThanOrEqual(PACE_WAITING_JOBS + perChunk);
    // The producer finished once the rest fitted under the limit: the workers had run the others.
    expect(ran).toBeGreaterThanOrEqual(jobs - PACE_WAITING_JOBS - perChunk);
  }, 60_000);

  it('stores and queues every file at once when no worker takes the jobs', async () => {
    const imports = new ImportService(servers.storage, servers.queue, { maxFileBytes: 1 << 20 }, quiet);
    const before = await servers.queue.waiting('import');
    const started = Date.now();
    const batchId = await imports.run(files(2000), { paced: true, stallMs: 500 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
    // 2,000 files, JOB_ITEMS to a job in chunks of whole jobs: every one queued, none held back
    // (and the batch's guard, which the seal released to the workers).
    expect((await servers.queue.waiting('import')) - before).toBe(2000 / JOB_ITEMS + 1);
    expect((await servers.storage.batches.counts(batchId)).pending).toBe(2000);
  }, 60_000);

  it('pushes back the guard of a batch it is still queuing (keepOpen)', async () => {
    const batch = { id: 999_001, createdAt: new Date() };
    await servers.queue.open('import', batch);
    const guardId = jobIds.seal('import', servers.storage.instanceId, batch);
    // The due time of a delayed job is its score in the queue's delayed set, over 0x1000.
    const due = async () =>
      Math.floor(
        Number(await servers.redis.zscore(`${servers.queue.prefix}:${QueueName.Parse}:delayed`, guardId)) /
          0x1000,
      );
    const first = await due();
    expect(first).toBeGreaterThanOrEqual(Date.now() + servers.config.BATCH_SEAL_TIMEOUT_MS - 5000);
    await sleep(300);
    await servers.queue.keepOpen('import', batch);
    expect((await due()) - first).toBeGreaterThanOrEqual(250);
    // Sealed, the guard has run or is about to: keepOpen leaves it alone and does not throw.
    await servers.queue.seal('import', batch);
    await expect(servers.queue.keepOpen('import', batch)).resolves.toBeUndefined();
  }, 30_000);
});
