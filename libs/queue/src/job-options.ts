import type { EnvDto } from '@formbridge/config';
import type { JobsOptions } from 'bullmq';

export type QueueSettings = Pick<
  EnvDto,
  | 'REDIS_URL'
  | 'QUEUE_PREFIX'
  | 'PARSE_CONCURRENCY'
  | 'GENERATE_CONCURRENCY'
  | 'JOB_ATTEMPTS'
  | 'JOB_BACKOFF_MS'
  | 'JOB_LOCK_MS'
  | 'JOB_STALLED_CHECK_MS'
  | 'BATCH_SEAL_TIMEOUT_MS'
  | 'FAILED_JOB_RETENTION_DAYS'
>;

/**
 * Set explicitly on every job: retries with exponential backoff for faults that may pass
 * (unreadable input fails at once through UnrecoverableError), failed jobs kept for inspection
 * for FAILED_JOB_RETENTION_DAYS (their reasons stay in the batch reports for good), completed
 * ones trimmed (their outcome is in the database).
 */
export function jobOptions(settings: QueueSettings): JobsOptions {
  return {
    attempts: settings.JOB_ATTEMPTS,
    backoff: { type: 'exponential', delay: settings.JOB_BACKOFF_MS },
    removeOnComplete: { age: 24 * 3600, count: 1000 },
    removeOnFail: { age: settings.FAILED_JOB_RETENTION_DAYS * 24 * 3600 },
  };
}
