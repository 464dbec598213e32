import { Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { isPermanentInputError } from '@formbridge/common';
import type { JobContext, JobHandler } from './job.types';
import type { QueueSettings } from './job-options';
import { JobName, QUEUE_OF_JOB, QueueName } from './queue.constants';

export interface WorkerLogger {
  error(message: string): void;
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
    private readonly logger: WorkerLogger = { error: (m) => process.stderr.write(`${m}\n`) },
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
        prefix: this.settings.QUEUE_PREFIX,
        concurrency:
          queue === QueueName.Parse ? this.settings.PARSE_CONCURRENCY : this.settings.GENERATE_CONCURRENCY,
        lockDuration: this.settings.JOB_LOCK_MS,
        stalledInterval: this.settings.JOB_STALLED_CHECK_MS,
        // A job whose worker died is run again; one that keeps killing its workers fails.
        maxStalledCount: 2,
      });
      worker.on('error', (err) => this.logger.error(`worker ${queue}: ${err.message}`));
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
      failedChildren: async () => new Map(Object.entries(await job.getIgnoredChildrenFailures())),
    };
    try {
      return await handler.handle(job.data, context);
    } catch (err) {
      if (isPermanentInputError(err) || err instanceof PermanentJobError)
        throw new UnrecoverableError((err as Error).message);
      throw err;
    }
  }

  /** Stops taking jobs and waits for the ones running to finish. */
  async close(): Promise<void> {
    const workers = this.workers.splice(0);
    await Promise.all(workers.map((w) => w.close()));
  }
}
