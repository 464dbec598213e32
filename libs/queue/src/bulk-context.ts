import { setTimeout as sleep } from 'node:timers/promises';
import { Log, OutageMonitor, createLog, within } from '@formbridge/common';
import { generateThreadCount, parseThreadCount, type EnvDto } from '@formbridge/config';
import { GeneratePool, ParsePool } from '@formbridge/forms';
import { RecordService, Storage } from '@formbridge/storage';
import { PdfConverterPool, type ReadOptions } from '@formbridge/word';
import type { Redis } from 'ioredis';
import { BullMqBatchQueue } from './batch-queue';
import { BatchReportService } from './batch-report.service';
import { ExportService } from './export/export.service';
import { ImportService } from './import/import.service';
import { LocalFiles } from './import/local-files';
import type { JobHandler } from './job.types';
import { FinishExportJob } from './jobs/finish-export.job';
import { FinishImportJob } from './jobs/finish-import.job';
import { type ExportDelivery, GenerateRecordJob } from './jobs/generate-record.job';
import { ParseSubmissionJob } from './jobs/parse-submission.job';
import { SealExportJob } from './jobs/seal-export.job';
import { SealImportJob } from './jobs/seal-import.job';
import { BatchKind, BatchRef, QueueName } from './queue.constants';
import { CleanupSummary, RetentionPolicy, RetentionService } from './retention.service';
import { createRedisConnection, pingRedis } from './redis-connection';
import { WorkerHost } from './worker-host';

export interface BulkContextOptions {
  /**
   * This process runs generate jobs (the generator service, `formbridge export`): they render
   * on the process's GeneratePool, GENERATE_THREADS threads.
   */
  generate?: boolean;
  /** Where the context logs; by default one-line logs on stderr at LOG_LEVEL (else `warn`). */
  log?: Log;
  /**
   * The queues whose threads start as the context opens, before it connects to Redis and the
   * database: a command that is about to hand its own workers a batch (`formbridge import`,
   * `export`) has its parse or generate threads load their code meanwhile, on the core that is
   * idle then, instead of once the first job comes (docs/bench.md, "Twelfth look"). Not for a
   * long-running worker: a pool's first thread stays, and it may never see that queue's jobs.
   */
  warm?: readonly QueueName[];
}

export function readOptionsOf(config: EnvDto): ReadOptions {
  return {
    maxBytes: config.MAX_FILE_BYTES,
    zip: { maxEntryBytes: config.MAX_INFLATED_BYTES, maxEntries: 5000 },
    converter: { command: config.SOFFICE_PATH, timeoutMs: config.CONVERT_TIMEOUT_MS },
  };
}

/**
 * Everything bulk work needs, wired once: storage, the Redis connection, the batch queue, the
 * services and the job handlers. The CLI uses it directly; the services wrap it in Nest
 * providers. One provider list, two roles: producers (HTTP, CLI) and workers.
 */
export class BulkContext {
  readonly queue: BullMqBatchQueue;
  readonly imports: ImportService;
  readonly exports: ExportService;
  readonly reports: BatchReportService;
  readonly records: RecordService;
  readonly retention: RetentionService;
  /** The batch this process is producing, if any: named when it has to stop. */
  batch?: { kind: BatchKind } & BatchRef;
  private workerHost?: WorkerHost;
  private pdfPool?: PdfConverterPool;
  private exportDelivery?: ExportDelivery;
  /** Files this process's imports stored, for its own parse workers. */
  private readonly localFiles = new LocalFiles();

  private constructor(
    readonly config: EnvDto,
    readonly storage: Storage,
    readonly redis: Redis,
    readonly redisOutage: OutageMonitor,
    readonly log: Log,
    private readonly options: BulkContextOptions,
  ) {
    this.queue = new BullMqBatchQueue(redis, config, storage.instanceId);
    this.imports = new ImportService(
      storage,
      this.queue,
      { maxFileBytes: config.MAX_FILE_BYTES },
      log,
      this.localFiles,
    );
    this.exports = new ExportService(storage, this.queue, log);
    this.reports = new BatchReportService(storage);
    this.records = new RecordService(storage.records);
    this.retention = new RetentionService(storage, this.queue, log);
  }

  /** Applies the retention settings now (or the given ones): `formbridge cleanup`, and services daily. */
  cleanup(policy: Partial<RetentionPolicy> = {}): Promise<CleanupSummary> {
    return this.retention.run({
      exportDays: policy.exportDays ?? this.config.EXPORT_RETENTION_DAYS,
      failedJobDays: policy.failedJobDays ?? this.config.FAILED_JOB_RETENTION_DAYS,
    });
  }

  /**
   * Redis first, then the database: either one not answering within CONNECT_TIMEOUT_MS is an
   * UNAVAILABLE error that names it, at once, instead of a wait without end.
   */
  static async open(config: EnvDto, options: BulkContextOptions = {}): Promise<BulkContext> {
    const log =
      options.log ?? createLog('queue', { level: config.LOG_LEVEL ?? 'warn', format: config.LOG_FORMAT });
    if (options.warm?.includes(QueueName.Parse)) ParsePool.shared(parseThreadCount(config)).warm();
    if (options.generate && options.warm?.includes(QueueName.Generate)) {
      GeneratePool.shared(generateThreadCount(config)).warm();
    }
    const redisOutage = new OutageMonitor('Redis', config.OUTAGE_TIMEOUT_MS, log);
    const redis = createRedisConnection(config.REDIS_URL, redisOutage);
    let storage: Storage;
    try {
      await pingRedis(redis, config.REDIS_URL, config.CONNECT_TIMEOUT_MS);
      storage = await Storage.open(config);
    } catch (err) {
      redis.disconnect();
      throw err;
    }
    return new BulkContext(config, storage, redis, redisOutage, log, options);
  }

  /**
   * Rejects once Redis has been gone longer than OUTAGE_TIMEOUT_MS (a lost PostgreSQL is bounded
   * by the statements themselves). A command races its work against this.
   */
  async outageTimeout(signal: AbortSignal): Promise<never> {
    for (;;) {
      await sleep(500, undefined, { signal });
      if (this.redisOutage.timedOut) throw this.redisOutage.gaveUp();
    }
  }

  handlers(): JobHandler[] {
    const handlers: JobHandler[] = [
      new ParseSubmissionJob(
        this.storage,
        ParsePool.shared(parseThreadCount(this.config)),
        readOptionsOf(this.config),
        this.localFiles,
      ),
      new SealImportJob(this.storage, this.config.BATCH_SEAL_TIMEOUT_MS),
      new FinishImportJob(this.storage, this.log),
      new SealExportJob(this.storage, this.config.BATCH_SEAL_TIMEOUT_MS),
      new FinishExportJob(this.storage, this.log),
    ];
    if (this.options.generate) {
      const pool = GeneratePool.shared(generateThreadCount(this.config));
      handlers.push(
        new GenerateRecordJob(
          this.storage,
          (records, options) => pool.render(records, options),
          (docx) => this.pdf.convert(docx),
          () => this.exportDelivery,
        ),
      );
    }
    return handlers as JobHandler[];
  }

  /**
   * The export whose files this process's generate workers hand over as they render them (one at
   * a time; `formbridge export` writes its batch's files as they come: see ExportDelivery).
   */
  deliverExport(delivery: ExportDelivery | undefined): void {
    this.exportDelivery = delivery;
  }

  /** Starts workers for these queues in this process. */
  startWorkers(queues: readonly QueueName[]): WorkerHost {
    if (this.workerHost) throw new Error('workers already started');
    this.workerHost = new WorkerHost(this.redis, this.config, this.handlers(), {
      prefix: this.queue.prefix,
      log: this.log,
      onConnectionError: (err) => this.redisOutage.lost(err),
    });
    this.workerHost.start(queues);
    if (queues.includes(QueueName.Parse)) this.localFiles.enable();
    return this.workerHost;
  }

  /** This process's LibreOffice converters, started on the first PDF. */
  get pdf(): PdfConverterPool {
    this.pdfPool ??= new PdfConverterPool({
      soffice: this.config.SOFFICE_PATH,
      python: this.config.UNO_PYTHON,
      size: this.config.PDF_CONVERTERS,
      timeoutMs: this.config.PDF_TIMEOUT_MS,
    });
    return this.pdfPool;
  }

  /**
   * Workers first (they finish their running jobs, within SHUTDOWN_TIMEOUT_MS), then the queues,
   * Redis and the database. Nothing here waits on a server that is gone.
   */
  async close(): Promise<void> {
    const grace = this.config.SHUTDOWN_TIMEOUT_MS;
    // A forced close still talks to Redis; when Redis is gone, even that is not waited for.
    if (this.workerHost) await within(this.workerHost.close(grace), grace + 1000);
    await within(this.pdfPool?.close() ?? Promise.resolve(), 2000);
    await within(this.queue.close(), 1000);
    if (this.redis.status === 'ready') await within(this.redis.quit(), 1000);
    this.redis.disconnect();
    await within(this.storage.close(), 2000);
  }
}
