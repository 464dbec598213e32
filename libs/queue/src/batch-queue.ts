import { FlowProducer, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { jobOptions, QueueSettings } from './job-options';
import {
  BATCH_FLOW,
  BatchKind,
  BatchRef,
  JOB_ITEMS,
  JOB_ITEM_BYTES,
  QueueName,
  jobIds,
} from './queue.constants';

/** What producers need from the queues; services depend on this, not on BullMQ. */
export interface BatchQueue {
  /** Starts a batch's flow: its parent job, held open by a guard child until `seal`. */
  open(kind: BatchKind, batch: BatchRef): Promise<void>;
  /**
   * Queues the items under the batch's parent, a few to a job (JOB_ITEMS, and JOB_ITEM_BYTES by
   * `bytes`, each item's file size, when given).
   */
  addItems(
    kind: BatchKind,
    batch: BatchRef,
    itemIds: readonly number[],
    bytes?: readonly number[],
  ): Promise<void>;
  /** Every item is queued: release the guard so the parent runs once the items are done. */
  seal(kind: BatchKind, batch: BatchRef): Promise<void>;
  /**
   * The producer is still at work: its guard's timeout (BATCH_SEAL_TIMEOUT_MS) starts again from
   * now, so a batch is closed without its producer only that long after the producer's last sign
   * of life, however long the batch takes to queue.
   */
  keepOpen(kind: BatchKind, batch: BatchRef): Promise<void>;
  /** Item jobs of the kind's queue waiting for a worker (all batches of the deployment). */
  waiting(kind: BatchKind): Promise<number>;
  close(): Promise<void>;
}

/**
 * The Redis key prefix of one deployment: QUEUE_PREFIX plus the database's instance id. Workers
 * only ever see the queues of the database they write to, so two deployments on one Redis never
 * take each other's jobs, whatever QUEUE_PREFIX they set (issue 10: a CLI on the embedded
 * database and a service on PostgreSQL, both on the default prefix, failed each other's files).
 */
export function deploymentPrefix(queuePrefix: string, instanceId: string): string {
  return `${queuePrefix}:${instanceId}`;
}

/**
 * A bulk import or export is one BullMQ flow: a parent job (finish) whose children are the
 * per-file or per-record jobs. The flow is created with only a guard child (a long-delayed seal
 * job) and the items are added to it in chunks as the producer stores them, so processing starts
 * at once and the producer never holds the whole batch in memory. Promoting the guard seals the
 * batch; if the producer dies first, the guard's delay (BATCH_SEAL_TIMEOUT_MS) closes it anyway.
 */
export class BullMqBatchQueue implements BatchQueue {
  private readonly flows: FlowProducer;
  private readonly queues = new Map<QueueName, Queue>();

  readonly prefix: string;

  constructor(
    private readonly connection: Redis,
    private readonly settings: QueueSettings,
    /** The database's instance id, part of every job id (see jobIds) and of the key prefix. */
    private readonly scope: string,
  ) {
    this.prefix = deploymentPrefix(settings.QUEUE_PREFIX, scope);
    this.flows = new FlowProducer({ connection, prefix: this.prefix });
    // A lost Redis is reported once by the connection's monitor; unheard 'error' events would
    // kill the process.
    this.flows.on('error', () => undefined);
  }

  queue(name: QueueName): Queue {
    let queue = this.queues.get(name);
    if (!queue) {
      queue = new Queue(name, {
        connection: this.connection,
        prefix: this.prefix,
        defaultJobOptions: jobOptions(this.settings),
      });
      queue.on('error', () => undefined);
      this.queues.set(name, queue);
    }
    return queue;
  }

  async open(kind: BatchKind, batch: BatchRef): Promise<void> {
    const flow = BATCH_FLOW[kind];
    const options = jobOptions(this.settings);
    const batchId = batch.id;
    await this.flows.add({
      name: flow.parent,
      queueName: flow.queue,
      data: { batchId },
      opts: { ...options, jobId: jobIds.parent(kind, this.scope, batch) },
      children: [
        {
          name: flow.seal,
          queueName: flow.queue,
          data: { batchId },
          opts: {
            ...options,
            jobId: jobIds.seal(kind, this.scope, batch),
            delay: this.settings.BATCH_SEAL_TIMEOUT_MS,
          },
        },
      ],
    });
  }

  async addItems(
    kind: BatchKind,
    batch: BatchRef,
    itemIds: readonly number[],
    bytes?: readonly number[],
  ): Promise<void> {
    if (!itemIds.length) return;
    const flow = BATCH_FLOW[kind];
    const queue = this.queue(flow.queue);
    const options = jobOptions(this.settings);
    const parent = { id: jobIds.parent(kind, this.scope, batch), queue: queue.qualifiedName };
    await queue.addBulk(
      jobItems(itemIds, bytes).map((ids) => ({
        name: flow.item,
        data: { batchId: batch.id, itemIds: ids },
        // A failed job must not hold the batch open: its parent still runs, and reads the
        // failure reasons of ignored children to complete the report.
        opts: {
          ...options,
          jobId: jobIds.items(kind, this.scope, batch, ids[0]),
          parent,
          ignoreDependencyOnFailure: true,
        },
      })),
    );
  }

  /** The batch's guard job (see open), while Redis still holds it. */
  private guard(kind: BatchKind, batch: BatchRef) {
    return this.queue(BATCH_FLOW[kind].queue).getJob(jobIds.seal(kind, this.scope, batch));
  }

  async seal(kind: BatchKind, batch: BatchRef): Promise<void> {
    const job = await this.guard(kind, batch);
    // Gone or already run: the guard's delay ran out first, and the batch closed without us.
    if (job && (await job.isDelayed())) await job.promote();
  }

  async keepOpen(kind: BatchKind, batch: BatchRef): Promise<void> {
    const job = await this.guard(kind, batch);
    if (!job) return;
    // Promoted or run in between (sealed, or timed out): nothing is left to push back.
    await job.changeDelay(this.settings.BATCH_SEAL_TIMEOUT_MS).catch(async (err: unknown) => {
      if (await job.isDelayed()) throw err;
    });
  }

  waiting(kind: BatchKind): Promise<number> {
    return this.queue(BATCH_FLOW[kind].queue).getJobCountByTypes('wait', 'prioritized');
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
    await this.flows.close();
  }
}

/** Splits items into jobs of at most JOB_ITEMS items and, by `bytes`, JOB_ITEM_BYTES of files. */
export function jobItems(itemIds: readonly number[], bytes?: readonly number[]): number[][] {
  const jobs: number[][] = [];
  let job: number[] = [];
  let size = 0;
  itemIds.forEach((id, i) => {
    const b = bytes?.[i] ?? 0;
    if (job.length && (job.length >= JOB_ITEMS || size + b > JOB_ITEM_BYTES)) {
      jobs.push(job);
      job = [];
      size = 0;
    }
    job.push(id);
    size += b;
  });
  if (job.length) jobs.push(job);
  return jobs;
}
