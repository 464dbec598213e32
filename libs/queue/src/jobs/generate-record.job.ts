import { createHash } from 'node:crypto';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { GenerateOptions, stampFor } from '@formbridge/forms';
import { Batcher, ExportItem, Storage } from '@formbridge/storage';
import { exportFileName } from '../export/export-file-name';
import { rollForward } from '../export/roll-forward';
import { itemsOf, type JobContext, type JobHandler, type JobOf } from '../job.types';
import { JobName } from '../queue.constants';
import { ItemFailures } from './item-failures';

/** Renders records into one .docx (the generator's `generateDocx`). */
export type DocxRenderer = (records: object[], options?: GenerateOptions) => Promise<Uint8Array>;
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
  batchId: number;
  itemId: number;
  sha256: string;
  bytes: Uint8Array;
  name: string;
  pdf?: { sha256: string; bytes: Uint8Array };
}

/** An export item's files, once they are stored and the item is done. */
export interface StoredExportOutput {
  batchId: number;
  itemId: number;
  /** The .docx file's name (the PDF's is derived from it). */
  name: string;
  docx: { sha256: string; bytes: Uint8Array };
  pdf?: { sha256: string; bytes: Uint8Array };
}

/**
 * Told of every export item this worker stored, with its bytes: `formbridge export` writes the
 * files of its own batch into its folder as they come instead of reading them back from storage
 * at the end. What it throws is ignored: the item is done and its bytes are stored either way.
 */
export type StoredExportListener = (output: StoredExportOutput) => Promise<void> | void;

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Generates a few records' .docx files for an export batch and stores the bytes in the blob store
 * (never in Redis); each item keeps its file's hash and name. Running it twice rewrites the same
 * bytes. A record that cannot be generated fails alone (see ItemFailures); the others are stored.
 */
export class GenerateRecordJob implements JobHandler<JobName.GenerateRecord> {
  readonly name = JobName.GenerateRecord;
  /** The worker's concurrent jobs store their outputs together. */
  private readonly outputs: Batcher<Output, true>;

  constructor(
    private readonly storage: Storage,
    private readonly render: DocxRenderer,
    private readonly renderPdf?: PdfRenderer,
    private readonly onStored?: StoredExportListener,
  ) {
    this.outputs = new Batcher(async (outputs) => {
      const blobs = outputs.flatMap((o) => [{ sha256: o.sha256, bytes: o.bytes }, ...(o.pdf ? [o.pdf] : [])]);
      const done = outputs.map((o) => ({
        itemId: o.itemId,
        outputSha256: o.sha256,
        outputName: o.name,
        pdfSha256: o.pdf?.sha256,
      }));
      if (storage.blobs.location === 'database') {
        // Bytes and items in one transaction: one commit (one wait for the WAL) instead of two.
        await storage.db.transaction(async (tx) => {
          await storage.blobs.putMany(blobs, tx);
          await storage.batches.markExportedMany(done, tx);
        });
      } else {
        // Bytes first: an item never points at bytes that are not there.
        await storage.blobs.putMany(blobs);
        await storage.batches.markExportedMany(done);
      }
      return outputs.map((): true => true);
    }, 256);
  }

  async handle(data: JobOf<JobName.GenerateRecord>, context: JobContext): Promise<{ bytes: number }> {
    const itemIds = itemsOf(data);
    const byId = new Map((await this.storage.batches.exportItems(itemIds)).map((r) => [r.id, r]));
    const failures = new ItemFailures('record', context);
    // Every record of the job rendered first, then stored together: stored as each render came
    // back, a worker's stores held three files on average.
    const outputs = await Promise.all(
      itemIds.map(async (id) => {
        const item = byId.get(id);
        try {
          if (!item) throw new FormBridgeError(ErrorCode.NotFound, `export item ${id} does not exist`);
          if (item.status !== 'pending') return undefined;
          return await this.generate(item);
        } catch (err) {
          failures.add(id, err, item?.recordId ? `record ${item.recordId}` : undefined);
          return undefined;
        }
      }),
    );
    let total = 0;
    await Promise.all(
      outputs.map(async (output) => {
        if (!output) return;
        try {
          await this.outputs.run(output);
          total += output.bytes.length;
        } catch (err) {
          failures.add(output.itemId, err);
          return;
        }
        await this.tell(output);
      }),
    );
    await failures.settle(this.storage);
    return { bytes: total };
  }

  private async tell(output: Output): Promise<void> {
    if (!this.onStored) return;
    try {
      await this.onStored({
        batchId: output.batchId,
        itemId: output.itemId,
        name: output.name,
        docx: { sha256: output.sha256, bytes: output.bytes },
        pdf: output.pdf,
      });
    } catch {
      // The listener's own business (see StoredExportListener).
    }
  }

  private async generate(item: ExportItem): Promise<Output> {
    if (item.recordId === null || !item.data)
      throw new FormBridgeError(ErrorCode.NotFound, 'the record was deleted before it was exported');
    const asYear = typeof item.options?.asYear === 'number' ? item.options.asYear : undefined;
    // A form rolled forward into another year is next year's filing, not a version of this
    // one: it carries no stamp, and comes back as a record of its own.
    const stamp =
      asYear === undefined && item.version && item.formType
        ? stampFor(
            { id: item.recordId, version: item.version, formType: item.formType },
            this.storage.deployment,
          )
        : undefined;
    const data = asYear === undefined ? item.data : rollForward(item.data, asYear);
    const bytes = await this.render([data], stamp && { stamps: [stamp] });
    let pdf: Output['pdf'];
    if (item.options?.pdf === true) {
      if (!this.renderPdf) throw new Error('this worker cannot render PDFs');
      const pdfBytes = await this.renderPdf(bytes);
      pdf = { sha256: sha256Of(pdfBytes), bytes: pdfBytes };
    }
    return {
      batchId: item.batchId,
      itemId: item.id,
      sha256: sha256Of(bytes),
      bytes,
      name: exportFileName(item.recordId, data),
      pdf,
    };
  }
}
