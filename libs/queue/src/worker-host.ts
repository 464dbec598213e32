import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { Log, isConnectionError, isPermanentInputError } from '@formbridge/common';
import { itemsOf, type FailedChild, type JobContext, type JobHandler } from './job.types';
import type { QueueSettings } from './job-options';
import { JobName, QUEUE_OF_JOB, QueueName } from './queue.constants';

export interface WorkerHostOptions {
  /** The deployment's Redis key prefix (see deploymentPrefix). */
  prefix: string;
  log: Log;
  /** A lost Redis: reported once by the connection's monitor, not once per retry here. */
  onConnectionError?: (err: Error) => void;
}

/** A job failure that retrying cannot fix, for handlers that are not parsing input. */
export class PermanentJobError extends Error {
  override readonly name = 'PermanentJobError';
}

/**
 * Runs the handlers of the given queues on BullMQ workers. Refuses to start when a job of those
 * queues has no handler or two (immich does the same), dispatches by job name, and rethrows every
 * error so BullMQ retries it; input that will never parse becomes an UnrecoverableError.
 */
export class WorkerHost {
  private readonly workers: Worker[] = [];
  private readonly handlers = new Map<JobName, JobHandler>();

  constructor(
    private readonly connection: Redis,
    private readonly settings: QueueSettings,
    handlers: readonly JobHandler[],
    private readonly options: WorkerHostOptions,
  ) {
    for (const h of handlers) {
      if (this.handlers.has(h.name)) throw new Error(`job ${h.name} has two handlers`);
      this.handlers.set(h.name, h);
    }
  }

  get running(): boolean {
    return this.workers.length > 0;
  }

  start(queues: readonly QueueName[]): void {
    for (const queue of queues) {
      const missing = Object.values(JobName).filter(
        (n) => QUEUE_OF_JOB[n] === queue && !this.handlers.has(n),
      );
      if (missing.length) throw new Error(`queue ${queue} has jobs without a handler: ${missing.join(', ')}`);
    }
    for (const queue of queues) {
      const worker = new Worker(queue, (job: Job) => this.process(job), {
        connection: this.connection,
        prefix: this.options.prefix,
        concurrency:
          queue === QueueName.Parse ? this.settings.PARSE_CONCURRENCY : this.settings.GENERATE_CONCURRENCY,
        lockDuration: this.settings.JOB_LOCK_MS,
        stalledInterval: this.settings.JOB_STALLED_CHECK_MS,
        // A job whose worker died is run again; one that keeps killing its workers fails.
        maxStalledCount: 2,
      });
      worker.on('error', (err) => {
        if (isConnectionError(err)) this.options.onConnectionError?.(err);
        else this.options.log.error(`worker ${queue}: ${err.message}`, { queue });
      });
      this.workers.push(worker);
    }
  }

  private async process(job: Job): Promise<unknown> {
    const handler = this.handlers.get(job.name as JobName);
    if (!handler) throw new UnrecoverableError(`no handler for job ${job.name}`);
    const maxAttempts = job.opts.attempts ?? 1;
    const context: JobContext = {
      attempt: job.attemptsMade + 1,
      maxAttempts,
      isLastAttempt: job.attemptsMade + 1 >= maxAttempts,
      failedChildren: () => this.failedChildren(job),
    };
    try {
      return await handler.handle(job.data, context);
    } catch (err) {
      const permanent = isPermanentInputError(err) || err instanceof PermanentJobError;
      this.logFailure(job, err, permanent || context.isLastAttempt);
      if (permanent) throw new UnrecoverableError((err as Error).message);
      throw err;
    }
  }

  /**
   * A parent's failed children (ignored so the parent still runs) with their items: the keys
   * and reasons BullMQ keeps, and each child's payload, read back by its key.
   */
  private async failedChildren(job: Job): Promise<FailedChild[]> {
    const failures = Object.entries(await job.getIgnoredChildrenFailures());
    return Promise.all(
      failures.map(async ([key, reason]) => {
        // `<prefix>:<queue>:<job id>`; the prefix may hold ':', job ids never do.
        const id = key.slice(key.lastIndexOf(':') + 1);
        const worker = this.workers.find((w) => key === `${w.opts.prefix}:${w.name}:${id}`);
        const child = worker && (await Job.fromId(worker, id));
        return { itemIds: child?.data ? itemsOf(child.data) : [], reason };
      }),
    );
  }

  /** One line per failed try: `error` when it is final, `warn` when a retry follows. */
  private logFailure(job: Job, err: unknown, final: boolean): void {
    // During an outage every job fails alike; the connection's monitor has said so once.
    if (!final && isConnectionError(err)) return;
    const data = job.data as { batchId?: number; itemIds?: number[] };
    this.options.log[final ? 'error' : 'warn'](
      `${job.name} ${final ? 'failed' : 'failed, will be retried'}: ${err instanceof Error ? err.message : String(err)}`,
      {
        queue: job.queueName,
        batch: data.batchId,
        items: data.itemIds?.length,
        code:
          (err as { code?: unknown }).code !== undefined
            ? String((err as { code?: unknown }).code)
            : 'JOB_FAILED',
        attempt: job.attemptsMade + 1,
      },
    );
  }

  /**
   * Stops taking jobs and waits for the ones running to finish, at most `graceMs`: a job that
   * cannot finish (Redis gone) is left to stall and run again elsewhere.
   */
  async close(graceMs = Infinity): Promise<void> {
    const workers = this.workers.splice(0);
    const graceful = Promise.all(workers.map((w) => w.close()));
    if (graceMs === Infinity) return void (await graceful);
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<boolean>((resolve) => (timer = setTimeout(() => resolve(true), graceMs)));
    const late = await Promise.race([graceful.then(() => false), expired]);
    clearTimeout(timer);
    if (late) await Promise.all(workers.map((w) => w.close(true).catch(() => undefined)));
  }
}
