import { FormBridgeError, isConnectionError, isPermanentInputError } from '@formbridge/common';
import type { Storage } from '@formbridge/storage';
import type { JobContext } from '../job.types';
import { PermanentJobError } from '../worker-host';

interface Failure {
  itemId: number;
  err: unknown;
  name?: string;
}

const messageOf = (err: unknown) => (err instanceof Error ? err.message : String(err));

/**
 * The items of one job that failed, settled together once the job's other items are done. An
 * item whose input is at fault (or that `add` is told is permanent) fails for good with its own
 * code; any other failure is retried with the job, and fails the item only on the last try.
 * Then the job fails too, so BullMQ keeps it: with the item's own error when it is the only one.
 */
export class ItemFailures {
  private readonly failures: Failure[] = [];

  constructor(
    /** What an item is, for the job's failure message: `file`, `record`. */
    private readonly noun: string,
    private readonly context: JobContext,
  ) {}

  add(itemId: number, err: unknown, name?: string): void {
    this.failures.push({ itemId, err, name });
  }

  async settle(storage: Storage): Promise<void> {
    if (!this.failures.length) return;
    const permanent = (f: Failure) => isPermanentInputError(f.err) || f.err instanceof PermanentJobError;
    const marks = this.failures.flatMap((f) => {
      if (permanent(f))
        return [
          {
            itemId: f.itemId,
            code: f.err instanceof FormBridgeError ? f.err.code : 'JOB_FAILED',
            reason: messageOf(f.err),
          },
        ];
      if (this.context.isLastAttempt)
        return [
          {
            itemId: f.itemId,
            code: 'JOB_FAILED',
            reason: `gave up after ${this.context.attempt} tries: ${messageOf(f.err)}`,
          },
        ];
      return [];
    });
    await storage.batches.markFailedMany(marks);

    const retried = this.failures.filter((f) => !permanent(f));
    // During an outage every item fails alike: the first error says it, and keeps its kind.
    if (retried.length && retried.every((f) => isConnectionError(f.err))) throw retried[0].err;
    if (this.failures.length === 1) throw this.failures[0].err;
    const list = this.failures.map((f) => `${f.name ?? `item ${f.itemId}`}: ${messageOf(f.err)}`).join('; ');
    const message = `${this.failures.length} ${this.noun}s failed: ${list}`;
    throw retried.length ? new Error(message, { cause: retried[0].err }) : new PermanentJobError(message);
  }
}
