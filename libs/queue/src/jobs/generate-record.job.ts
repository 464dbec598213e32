import { createHash } from 'node:crypto';
import { ErrorCode, FormBridgeError, isPermanentInputError } from '@formbridge/common';
import { Batcher, ExportItem, Storage } from '@formbridge/storage';
import { exportFileName } from '../export/export-file-name';
import { rollForward } from '../export/roll-forward';
import type { JobContext, JobHandler, JobOf } from '../job.types';
import { JobName } from '../queue.constants';

/** Renders records into one .docx (the generator's `generateDocx`). */
export type DocxRenderer = (records: object[]) => Uint8Array;
/** Renders a .docx as PDF (the LibreOffice converter pool). */
export type PdfRenderer = (docx: Uint8Array) => Promise<Uint8Array>;

export interface ExportOptions {
  asYear?: number;
  /** Also render each form as PDF. */
  pdf?: boolean;
  /** Leave the .docx files out of the export's files and archive (PDF only). */
  noDocx?: boolean;
}

interface Output {
  itemId: number;
  sha256: string;
  bytes: Uint8Array;
  name: string;
  pdf?: { sha256: string; bytes: Uint8Array };
}

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Generates one record's .docx for an export batch and stores the bytes in the blob store (never
 * in Redis); the item keeps their hash and file name. Running it twice rewrites the same bytes.
 * The worker's concurrent jobs read their items and store their outputs together.
 */
export class GenerateRecordJob implements JobHandler<JobName.GenerateRecord> {
  readonly name = JobName.GenerateRecord;
  private readonly items: Batcher<number, ExportItem | undefined>;
  private readonly outputs: Batcher<Output, true>;

  constructor(
    private readonly storage: Storage,
    private readonly render: DocxRenderer,
    private readonly renderPdf?: PdfRenderer,
  ) {
    this.items = new Batcher(async (ids) => {
      const rows = new Map((await storage.batches.exportItems(ids)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id));
    });
    this.outputs = new Batcher(async (outputs) => {
      // Bytes first: an item never points at bytes that are not there.
      await storage.blobs.putMany(
        outputs.flatMap((o) => [{ sha256: o.sha256, bytes: o.bytes }, ...(o.pdf ? [o.pdf] : [])]),
      );
      await storage.batches.markExportedMany(
        outputs.map((o) => ({
          itemId: o.itemId,
          outputSha256: o.sha256,
          outputName: o.name,
          pdfSha256: o.pdf?.sha256,
        })),
      );
      return outputs.map((): true => true);
    });
  }

  async handle({ itemId }: JobOf<JobName.GenerateRecord>, context: JobContext): Promise<{ bytes: number }> {
    const item = await this.items.run(itemId);
    if (!item) throw new FormBridgeError(ErrorCode.NotFound, `export item ${itemId} does not exist`);
    if (item.status !== 'pending') return { bytes: 0 };
    try {
      if (item.recordId === null || !item.data)
        throw new FormBridgeError(ErrorCode.NotFound, 'the record was deleted before it was exported');
      const asYear = typeof item.options?.asYear === 'number' ? item.options.asYear : undefined;
      const data = asYear === undefined ? item.data : rollForward(item.data, asYear);
      const bytes = this.render([data]);
      let pdf: Output['pdf'];
      if (item.options?.pdf === true) {
        if (!this.renderPdf) throw new Error('this worker cannot render PDFs');
        const pdfBytes = await this.renderPdf(bytes);
        pdf = { sha256: sha256Of(pdfBytes), bytes: pdfBytes };
      }
      await this.outputs.run({
        itemId,
        sha256: sha256Of(bytes),
        bytes,
        name: exportFileName(item.recordId, data),
        pdf,
      });
      return { bytes: bytes.length };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isPermanentInputError(err))
        await this.storage.batches.markFailed(itemId, (err as FormBridgeError).code, message);
      else if (context.isLastAttempt)
        await this.storage.batches.markFailed(
          itemId,
          'JOB_FAILED',
          `gave up after ${context.attempt} tries: ${message}`,
        );
      throw err;
    }
  }
}
