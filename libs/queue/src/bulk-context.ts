import type { EnvDto } from '@formbridge/config';
import { ParsePool } from '@formbridge/forms';
import { RecordService, Storage } from '@formbridge/storage';
import { PdfConverterPool, type ReadOptions } from '@formbridge/word';
import type { Redis } from 'ioredis';
import { BullMqBatchQueue } from './batch-queue';
import { BatchReportService } from './batch-report.service';
import { ExportService } from './export/export.service';
import { ImportService } from './import/import.service';
import type { JobHandler } from './job.types';
import { FinishExportJob } from './jobs/finish-export.job';
import { FinishImportJob } from './jobs/finish-import.job';
import { DocxRenderer, GenerateRecordJob } from './jobs/generate-record.job';
import { ParseSubmissionJob } from './jobs/parse-submission.job';
import { SealExportJob } from './jobs/seal-export.job';
import { SealImportJob } from './jobs/seal-import.job';
import { QueueName } from './queue.constants';
import { createRedisConnection } from './redis-connection';
import { WorkerHost, WorkerLogger } from './worker-host';

export interface BulkContextOptions {
  /** Needed only where generate jobs run (the generator service, `formbridge export`). */
  renderDocx?: DocxRenderer;
  logger?: WorkerLogger;
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
  private workerHost?: WorkerHost;
  private pdfPool?: PdfConverterPool;

  private constructor(
    readonly config: EnvDto,
    readonly storage: Storage,
    readonly redis: Redis,
    private readonly options: BulkContextOptions,
  ) {
    this.queue = new BullMqBatchQueue(redis, config, storage.instanceId);
    this.imports = new ImportService(storage, this.queue, { maxFileBytes: config.MAX_FILE_BYTES });
    this.exports = new ExportService(storage, this.queue);
    this.reports = new BatchReportService(storage);
    this.records = new RecordService(storage.records);
  }

  static async open(config: EnvDto, options: BulkContextOptions = {}): Promise<BulkContext> {
    const storage = await Storage.open(config);
    return new BulkContext(config, storage, createRedisConnection(config.REDIS_URL), options);
  }

  handlers(): JobHandler[] {
    const handlers: JobHandler[] = [
      new ParseSubmissionJob(
        this.storage,
        ParsePool.shared(this.config.PARSE_THREADS),
        readOptionsOf(this.config),
      ),
      new SealImportJob(this.storage, this.config.BATCH_SEAL_TIMEOUT_MS),
      new FinishImportJob(this.storage),
      new SealExportJob(this.storage, this.config.BATCH_SEAL_TIMEOUT_MS),
      new FinishExportJob(this.storage),
    ];
    if (this.options.renderDocx)
      handlers.push(
        new GenerateRecordJob(this.storage, this.options.renderDocx, (docx) => this.pdf.convert(docx)),
      );
    return handlers as JobHandler[];
  }

  /** Starts workers for these queues in this process. */
  startWorkers(queues: readonly QueueName[]): WorkerHost {
    if (this.workerHost) throw new Error('workers already started');
    this.workerHost = new WorkerHost(this.redis, this.config, this.handlers(), this.options.logger);
    this.workerHost.start(queues);
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

  /** Workers first (they finish their running jobs), then the converters, queues, Redis and the database. */
  async close(): Promise<void> {
    await this.workerHost?.close();
    await this.pdfPool?.close();
    await this.queue.close();
    await this.redis.quit().catch(() => this.redis.disconnect());
    await this.storage.close();
  }
}
