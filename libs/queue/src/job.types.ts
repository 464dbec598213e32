import { JobName } from './queue.constants';

/** Payloads carry ids only: file bytes live in the database or the blob folder, never in Redis. */
export interface BatchPayload {
  batchId: number;
}

/** The items of one job, in batch order. */
export interface ItemsPayload {
  batchId: number;
  itemIds: number[];
}

/** The items of a job; a job queued before jobs carried several items names one. */
export function itemsOf(data: ItemsPayload | { batchId: number; itemId: number }): number[] {
  return 'itemIds' in data ? data.itemIds : [data.itemId];
}

export interface JobPayloads {
  [JobName.ParseSubmission]: ItemsPayload;
  [JobName.SealImport]: BatchPayload;
  [JobName.FinishImport]: BatchPayload;
  [JobName.GenerateRecord]: ItemsPayload;
  [JobName.SealExport]: BatchPayload;
  [JobName.FinishExport]: BatchPayload;
}

export type JobOf<N extends JobName> = JobPayloads[N];

/** The discriminated union of every job: narrowing on `name` gives the payload type. */
export type QueueJob = { [N in JobName]: { name: N; data: JobPayloads[N] } }[JobName];

/** What a handler may know about the run it is in, without depending on BullMQ. */
export interface JobContext {
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
  /** True when a failure now is final (no retry follows). */
  isLastAttempt: boolean;
  /** For a flow parent: the failed children, with their items and the reason of the last try. */
  failedChildren(): Promise<FailedChild[]>;
}

export interface FailedChild {
  /** The child's items (none when the job is gone from Redis). */
  itemIds: number[];
  reason: string;
}

/** One class per job name (twenty style); workers only dispatch to it. */
export interface JobHandler<N extends JobName = JobName> {
  readonly name: N;
  handle(data: JobOf<N>, context: JobContext): Promise<unknown>;
}
