import { createHash } from 'node:crypto';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { GenerateOptions, stampFor } from '@formbridge/forms';
import { Batcher, ExportItem, Storage } from '@formbridge/storage';
import { exportFileName, fileNameOf } from '../export/export-file-name';
import { rollForward } from '../export/roll-forward';
import { itemsOf, type JobContext, type JobHandler, type JobOf } from '../job.types';
import { JobName } from '../queue.constants';
import { ItemFailures } from './item-failures';

/**
 * Renders records into one .docx (the generator's `generateDocx`): the records, or the JSON text
 * of their array (parsed by the renderer: a GeneratePool parses it on its thread).
 */
export type DocxRenderer = (records: object[] | string, options?: GenerateOptions) => Promise<Uint8Array>;
/** Renders a .docx as PDF (the LibreOffice converter pool). */
export type PdfRenderer = (docx: Uint8Array) => Promise<Uint8Array>;

export interface ExportOptions {
  asYear?: number;
  /** Also render each form as PDF. */
  pdf?: boolean;
  /** Leave the .docx files out of the export's files and archive (PDF only). */
  noDocx?: boolean;
  /**
   * The folder `formbridge export` wrote the files into when it kept no copy of them in storage
   * (ExportDelivery): the batch has no download.
   */
  writtenTo?: string;
}

/** An export item's files, as they were rendered. */
export interface ExportOutput {
  batchId: number;
  itemId: number;
  /** The .docx file's name (the PDF's is derived from it). */
  name: string;
  docx: { sha256: string; bytes: Uint8Array };
  pdf?: { sha256: string; bytes: Uint8Array };
}

/**
 * How `formbridge export` takes the files of its own batch from this process's workers, written
 * into its folder as they are rendered instead of read back from storage at the end.
 *
 * - `keep` false (the default of `formbridge export`): the item is marked done once `write` has
 *   resolved, and its bytes are never stored: they are in the folder, and storing them too cost
 *   the database 8 KB a form that nobody reads (docs/bench.md). A `write` that fails fails the
 *   item as any other error does (retried with the job).
 * - `keep` true (`--keep-files`): the bytes are stored and the item marked done first, for the
 *   export's download later; then `write`, and what it throws is ignored (the file is copied from
 *   the blob store at the end).
 *
 * Items of other batches, and of this one rendered by other processes, are stored as always.
 */
export interface ExportDelivery {
  batchId: number;
  keep: boolean;
  write(output: ExportOutput): Promise<void>;
}

type Json = Record<string, unknown>;

const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/**
 * Generates a few records' .docx files for an export batch and stores the bytes in the blob store
 * (never in Redis), or hands them to the export that writes them itself (ExportDelivery); each
 * item keeps its file's hash and name. Running it twice rewrites the same bytes. A record that
 * cannot be generated fails alone (see ItemFailures); the others are stored.
 */
export class GenerateRecordJob implements JobHandler<JobName.GenerateRecord> {
  readonly name = JobName.GenerateRecord;
  /** The worker's concurrent jobs store their outputs together. */
  private readonly outputs: Batcher<ExportOutput & { store: boolean }, true>;

  constructor(
    private readonly storage: Storage,
    private readonly render: DocxRenderer,
    private readonly renderPdf?: PdfRenderer,
    /** The export this process delivers itself, if any (asked for each job: it changes). */
    private readonly delivery?: () => ExportDelivery | undefined,
  ) {
    this.outputs = new Batcher(async (outputs) => {
      const blobs = outputs.filter((o) => o.store).flatMap((o) => [o.docx, ...(o.pdf ? [o.pdf] : [])]);
      const done = outputs.map((o) => ({
        itemId: o.itemId,
        outputSha256: o.docx.sha256,
        outputName: o.name,
        pdfSha256: o.pdf?.sha256,
      }));
      if (!blobs.length) {
        await storage.batches.markExportedMany(done);
      } else if (storage.blobs.location === 'database') {
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
    const delivery = this.delivery?.();
    await Promise.all(
      outputs.map(async (output) => {
        if (!output) return;
        const ours = delivery?.batchId === output.batchId ? delivery : undefined;
        try {
          // Written before the item is done: a done item's files are in the folder.
          if (ours && !ours.keep) await ours.write(output);
          await this.outputs.run({ ...output, store: !ours || ours.keep });
          total += output.docx.bytes.length;
        } catch (err) {
          failures.add(output.itemId, err);
          return;
        }
        if (ours?.keep) await ours.write(output).catch(() => undefined);
      }),
    );
    await failures.settle(this.storage);
    return { bytes: total };
  }

  private async generate(item: ExportItem): Promise<ExportOutput> {
    if (item.recordId === null || !item.dataJson)
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
    // As stored, the record goes to the renderer as the text the database gave, and its file is
    // named from the columns read with it: parsing every record on this thread, and copying
    // the object to the generate thread, was a tenth of this thread's work (docs/bench.md).
    // Rolled forward, it is parsed here, changed, and named from what it became.
    const rolled = asYear === undefined ? undefined : rollForward(JSON.parse(item.dataJson) as Json, asYear);
    const bytes = await this.render(rolled ? [rolled] : `[${item.dataJson}]`, stamp && { stamps: [stamp] });
    const name = rolled
      ? exportFileName(item.recordId, rolled)
      : fileNameOf(item.recordId, {
          year: item.dataYear,
          formType: item.formType,
          department: item.department ?? null,
          project: item.project ?? null,
        });
    let pdf: ExportOutput['pdf'];
    if (item.options?.pdf === true) {
      if (!this.renderPdf) throw new Error('this worker cannot render PDFs');
      const pdfBytes = await this.renderPdf(bytes);
      pdf = { sha256: sha256Of(pdfBytes), bytes: pdfBytes };
    }
    return {
      batchId: item.batchId,
      itemId: item.id,
      name,
      docx: { sha256: sha256Of(bytes), bytes },
      pdf,
    };
  }
}
