/** Every queue FormBridge uses. Producers and consumers share these names. */
export enum QueueName {
  /** Consumed by the parser service (and by `formbridge import` unless --no-local-workers). */
  Parse = 'parse',
  /** Consumed by the generator service (and by `formbridge export` unless --no-local-workers). */
  Generate = 'generate',
}

/** Every job FormBridge runs. Each has exactly one handler and one queue. */
export enum JobName {
  /** Parse one file of an import batch and store its records. */
  ParseSubmission = 'parse-submission',
  /** Guard child of an import flow: holds the batch open until every file is queued. */
  SealImport = 'seal-import',
  /** Flow parent of an import: runs once every file is done and closes the batch. */
  FinishImport = 'finish-import',
  /** Generate one record's .docx for an export batch. */
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

/** How each kind of batch maps onto one flow: a parent, a guard child, and one child per item. */
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
  item: (kind: BatchKind, scope: string, batch: BatchRef, itemId: number) =>
    `${kind}-${scope}-${batchKey(batch)}-item-${itemId}`,
  /** The item id inside a child job id or job key (`prefix:queue:import-1-item-7`). */
  itemOf: (jobKey: string): number | undefined => {
    const m = /-item-(\d+)$/.exec(jobKey);
    return m ? Number(m[1]) : undefined;
  },
};
