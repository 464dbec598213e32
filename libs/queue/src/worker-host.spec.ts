import { parseEnv } from '@formbridge/config';
import { createLog } from '@formbridge/common';
import { BullMqBatchQueue, jobItems } from './batch-queue';
import type { FailedChild, JobContext, JobHandler } from './job.types';
import { createRedisConnection, deleteQueueKeys } from './redis-connection';
import { JOB_ITEMS, JOB_ITEM_BYTES, JobName, QueueName } from './queue.constants';
import { PermanentJobError, WorkerHost } from './worker-host';

describe('jobItems', () => {
  const ids = (n: number, from = 1) => Array.from({ length: n }, (_, i) => from + i);

  it('puts JOB_ITEMS items in a job, in order, the rest in the last one', () => {
    const jobs = jobItems(ids(2 * JOB_ITEMS + 3));
    expect(jobs.map((j) => j.length)).toEqual([JOB_ITEMS, JOB_ITEMS, 3]);
    expect(jobs.flat()).toEqual(ids(2 * JOB_ITEMS + 3));
  });

  it('starts a new job before the files pass JOB_ITEM_BYTES; a file larger than that goes alone', () => {
    const third = Math.floor(JOB_ITEM_BYTES / 3);
    expect(jobItems(ids(5), [third, third, third, JOB_ITEM_BYTES * 2, 10])).toEqual([[1, 2, 3], [4], [5]]);
  });

  it('queues nothing for no items', () => {
    expect(jobItems([])).toEqual([]);
  });
});

describe('a batch flow on real Redis', () => {
  const settings = parseEnv({
    QUEUE_PREFIX: `fbtest_wh_${process.pid}`,
    JOB_ATTEMPTS: '1',
    LOG_LEVEL: 'error',
  });
  const redis = createRedisConnection(settings.REDIS_URL);
  const queue = new BullMqBatchQueue(redis, settings, 'spec');
  let host: WorkerHost | undefined;

  afterAll(async () => {
    await host?.close();
    await queue.close();
    await redis.quit();
    await deleteQueueKeys(settings.REDIS_URL, settings.QUEUE_PREFIX);
  });

  it("gives the parent each failed child's items and reason, whatever the children held", async () => {
    const ran: number[][] = [];
    let finished: (children: FailedChild[]) => void = () => undefined;
    const failures = new Promise<FailedChild[]>((resolve) => (finished = resolve));
    const handler = <N extends JobName>(name: N, handle: JobHandler<N>['handle']): JobHandler =>
      ({ name, handle }) as JobHandler;
    host = new WorkerHost(
      redis,
      settings,
      [
        handler(JobName.ParseSubmission, async (data) => {
          ran.push(data.itemIds);
          if (data.itemIds.includes(JOB_ITEMS + 5)) throw new PermanentJobError('the last item is bad');
          return {};
        }),
        handler(JobName.SealImport, async () => ({})),
        handler(JobName.FinishImport, async (_data, context: JobContext) => {
          finished(await context.failedChildren());
          return {};
        }),
      ],
      {
        prefix: queue.prefix,
        log: createLog('spec', { level: 'error', format: 'text', write: () => undefined }),
      },
    );
    host.start([QueueName.Parse]);

    const batch = { id: 1, createdAt: new Date() };
    await queue.open('import', batch);
    const items = Array.from({ length: JOB_ITEMS + 5 }, (_, i) => i + 1);
    await queue.addItems('import', batch, items);
    await queue.seal('import', batch);

    const failed = await failures;
    expect(ran.map((r) => r.length).sort((a, b) => a - b)).toEqual([5, JOB_ITEMS]);
    expect(failed).toEqual([{ itemIds: items.slice(JOB_ITEMS), reason: 'the last item is bad' }]);
  }, 30_000);
});
