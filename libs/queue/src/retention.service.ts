import type { Log } from '@formbridge/common';
import type { Storage } from '@formbridge/storage';
import type { BullMqBatchQueue } from './batch-queue';
import { QueueName } from './queue.constants';

export interface RetentionPolicy {
  /** Generated export files older than this are deleted (the export's report stays). */
  exportDays: number;
  /** Failed jobs older than this are removed from Redis (their reasons are in the reports). */
  failedJobDays: number;
}

export interface CleanupSummary {
  exportBatches: number;
  exportFilesDeleted: number;
  bytesFreed: number;
  failedJobsRemoved: number;
}

const DAY_MS = 24 * 3600 * 1000;
const CLEAN_PAGE = 1000;

/**
 * Keeps Redis and the database from growing without bound (issue 10): failed jobs and generated
 * export files are kept for a configured time, then removed. What a person needs afterwards —
 * which items failed and why, which files an export wrote — stays in the batch's report.
 */
export class RetentionService {
  constructor(
    private readonly storage: Storage,
    private readonly queue: BullMqBatchQueue,
    private readonly log?: Log,
  ) {}

  async run(policy: RetentionPolicy, now = new Date()): Promise<CleanupSummary> {
    const { batches, sha256s } = await this.storage.batches.forgetExportFiles(
      new Date(now.getTime() - policy.exportDays * DAY_MS),
    );
    const unused = await this.storage.batches.unreferencedBlobs(sha256s);
    const bytesFreed = await this.storage.blobs.deleteMany(unused);
    let failedJobsRemoved = 0;
    for (const name of Object.values(QueueName)) {
      for (;;) {
        const removed = await this.queue
          .queue(name)
          .clean(policy.failedJobDays * DAY_MS, CLEAN_PAGE, 'failed');
        failedJobsRemoved += removed.length;
        if (removed.length < CLEAN_PAGE) break;
      }
    }
    const summary = {
      exportBatches: batches,
      exportFilesDeleted: unused.length,
      bytesFreed,
      failedJobsRemoved,
    };
    this.log?.log('cleanup done', { ...summary });
    return summary;
  }
}
