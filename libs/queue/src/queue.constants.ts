/** Every queue FormBridge uses. Producers and consumers share these names. */
export enum QueueName {
  /** Consumed by the parser service (and by `formbridge import` unless --no-local-workers). */
  Parse = 'parse',
  /** Consumed by the generator service (and by `formbridge export` unless --no-local-workers). */
  Generate = 'generate',
}

/** Every job FormBridge runs. Each has exactly one handler and one queue. */
export enum JobName {
  /** Parse a few files of an import batch and store their records. */
  ParseSubmission = 'parse-submission',
  /** Guard child of an import flow: holds the batch open until every file is queued. */
  SealImport = 'seal-import',
  /** Flow parent of an import: runs once every file is done and closes the batch. */
  FinishImport = 'finish-import',
  /** Generate a few records' .docx files for an export batch. */
  GenerateRecord = 'generate-record',
  SealExport = 'seal-export',
  FinishExport = 'finish-export',
}

export const QUEUE_OF_JOB: Readonly<Record<JobName, QueueName>> = {
  [JobName.ParseSubmission]: QueueName.Parse,
  [JobName.SealImport]: QueueName.Parse,
  [JobName.FinishImport]: QueueName.Parse,
  [JobName.GenerateRecord]: QueueName.Generate,
  [JobName.SealExport]: QueueName.Generate,
  [JobName.FinishExport]: QueueName.Generate,
};

export type BatchKind = 'import' | 'export';

/** How each kind of batch maps onto one flow: a parent, a guard child, and item children. */
export const BATCH_FLOW: Readonly<
  Record<BatchKind, { queue: QueueName; parent: JobName; seal: JobName; item: JobName }>
> = {
  import: {
    queue: QueueName.Parse,
    parent: JobName.FinishImport,
    seal: JobName.SealImport,
    item: JobName.ParseSubmission,
  },
  export: {
    queue: QueueName.Generate,
    parent: JobName.FinishExport,
    seal: JobName.SealExport,
    item: JobName.GenerateRecord,
  },
};

/**
 * Fixed job ids make adding a job idempotent: adding the same id again is a no-op, so a producer
 * that retries never queues a file twice. `scope` is the database's instance id: batch numbers
 * restart with a new database, job ids must not. `batch` is the batch's number and the moment it
 * was made: a database restored from a backup keeps its instance id and hands out the backup's
 * next batch numbers again, while Redis still holds the finished jobs of those numbers; were the
 * ids the same, the new batch's jobs would be taken for them and never run. (BullMQ ids may not
 * contain ':'.)
 */
export interface BatchRef {
  id: number;
  createdAt: Date;
}

const batchKey = (batch: BatchRef) => `${batch.id}.${batch.createdAt.getTime()}`;

export const jobIds = {
  parent: (kind: BatchKind, scope: string, batch: BatchRef) => `${kind}-${scope}-${batchKey(batch)}`,
  seal: (kind: BatchKind, scope: string, batch: BatchRef) => `${kind}-${scope}-${batchKey(batch)}-seal`,
  /** The job of the items starting with `firstItemId` (each item is in exactly one job). */
  items: (kind: BatchKind, scope: string, batch: BatchRef, firstItemId: number) =>
    `${kind}-${scope}-${batchKey(batch)}-items-${firstItemId}`,
};

/**
 * An item job carries up to this many items (files to parse, records to render), and at most
 * JOB_ITEM_BYTES of files: one job per file cost several Redis scripts and database statements per
 * file, more than parsing it, and each job's statements cost PostgreSQL a fixed share on top of its
 * rows: 10,000 files imported into PostgreSQL took 11 CPU-seconds of the server at 25 items a job
 * and 8 at 100 (docs/bench.md). A hundred files per job still spread over every worker and thread,
 * take a second or less, and a retry repeats only the items still pending.
 */
export const JOB_ITEMS = 100;
export const JOB_ITEM_BYTES = 8 * 1024 * 1024;
