import { createHash } from 'node:crypto';
import { ErrorCode, FormBridgeError, isPermanentInputError } from '@formbridge/common';
import type { Storage } from '@formbridge/storage';
import { exportFileName } from '../export/export-file-name';
import { rollForward } from '../export/roll-forward';
import type { JobContext, JobHandler, JobOf } from '../job.types';
import { JobName } from '../queue.constants';

/** Renders records into one .docx (the generator's `generateDocx`). */
export type DocxRenderer = (records: object[]) => Uint8Array;

export interface ExportOptions {
  asYear?: number;
}

/**
 * Generates one record's .docx for an export batch and stores the bytes in the blob store (never
 * in Redis); the item keeps their hash and file name. Running it twice rewrites the same bytes.
 */
export class GenerateRecordJob implements JobHandler<JobName.GenerateRecord> {
  readonly name = JobName.GenerateRecord;
  private readonly optionsCache = new Map<number, ExportOptions>();

  constructor(
    private readonly storage: Storage,
    private readonly render: DocxRenderer,
  ) {}

  async handle({ batchId, itemId }: JobOf<JobName.GenerateRecord>, context: JobContext): Promise<{ bytes: number }> {
    const item = await this.storage.batches.exportItem(itemId);
    if (!item) throw new FormBridgeError(ErrorCode.NotFound, `export item ${itemId} does not exist`);
    if (item.status !== 'pending') return { bytes: 0 };
    try {
      if (item.recordId === null) throw new FormBridgeError(ErrorCode.NotFound, 'the record was deleted before it was exported');
      const record = await this.storage.records.get(item.recordId);
      if (!record) throw new FormBridgeError(ErrorCode.NotFound, `record ${item.recordId} was deleted before it was exported`);
      const { asYear } = await this.options(batchId);
      const data = asYear === undefined ? record.data : rollForward(record.data, asYear);
      const bytes = this.render([data]);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      await this.storage.blobs.putMany([{ sha256, bytes }]);
      await this.storage.batches.markExported(itemId, sha256, exportFileName(record.id, data));
      return { bytes: bytes.length };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isPermanentInputError(err)) await this.storage.batches.markFailed(itemId, (err as FormBridgeError).code, message);
      else if (context.isLastAttempt) await this.storage.batches.markFailed(itemId, 'JOB_FAILED', `gave up after ${context.attempt} tries: ${message}`);
      throw err;
    }
  }

  /** A batch's options never change, so each worker reads them once. */
  private async options(batchId: number): Promise<ExportOptions> {
    let options = this.optionsCache.get(batchId);
    if (!options) {
      const batch = await this.storage.batches.get(batchId);
      if (!batch) throw new FormBridgeError(ErrorCode.NotFound, `export batch ${batchId} does not exist`);
      options = { asYear: typeof batch.options.asYear === 'number' ? batch.options.asYear : undefined };
      if (this.optionsCache.size > 100) this.optionsCache.clear();
      this.optionsCache.set(batchId, options);
    }
    return options;
  }
}
