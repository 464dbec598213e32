import { createWriteStream, rmSync } from 'node:fs';
import { mkdir, rename, stat, unlink } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { ErrorCode, FormBridgeError, writeSmallFile } from '@formbridge/common';
import {
  ExportIndexOptions,
  type ExportOutput,
  QueueName,
  exportFiles,
  exportRows,
  writeExportIndex,
} from '@formbridge/queue';
import type { ExportRow } from '@formbridge/storage';
import { assertWorkersCanReachDatabase, withBulkContext } from '../bulk-run';
import { ProgressBar } from '../progress-bar';
import { FilterOptions, addFilterOptions, filterOf, parseYear } from '../record-filter-options';

interface ExportOptions extends FilterOptions {
  asYear?: number;
  pdf?: boolean;
  docx: boolean;
  out: string;
  localWorkers: boolean;
  keepFiles?: boolean;
  compact?: boolean;
}

export const INDEX_FILE = 'index.xlsx';

async function prepareOut(dir: string): Promise<string> {
  const out = resolve(dir);
  const s = await stat(out).catch(() => undefined);
  if (s && !s.isDirectory())
    throw new FormBridgeError(ErrorCode.InvalidInput, `${dir} exists and is not a folder`);
  await mkdir(out, { recursive: true });
  return out;
}

export function registerExport(program: Command): void {
  addFilterOptions(
    program
      .command('export')
      .description(
        'generate one .docx per selected record through the generate queue, plus an .xlsx index of what was written; prints a JSON summary',
      ),
  )
    .option(
      '--as-year <year>',
      "roll the records forward into this year's forms (year changed; review opinions, review dates and the filing date cleared; schedules moved)",
      parseYear,
    )
    .option(
      '--pdf',
      'also write each form as PDF, rendered by LibreOffice (needs libreoffice-writer-nogui and python3-uno)',
    )
    .option('--no-docx', 'with --pdf: write the PDFs only')
    .requiredOption('--out <dir>', 'folder to write the .docx files and index.xlsx into (created if missing)')
    .option('--no-local-workers', "only queue the records: the generator services' workers generate them")
    .option(
      '--keep-files',
      "also keep the files in the database, for the export's download on the 导出 page (by default they are only written to --out)",
    )
    .option('--compact', 'print JSON on one line')
    .action(async (opts: ExportOptions) => {
      assertWorkersCanReachDatabase(opts.localWorkers);
      if (!opts.docx && !opts.pdf)
        throw new FormBridgeError(ErrorCode.InvalidInput, '--no-docx leaves nothing to write without --pdf');
      const files: ExportIndexOptions = { asYear: opts.asYear, pdf: opts.pdf, noDocx: !opts.docx };
      const out = await prepareOut(opts.out);
      const started = Date.now();
      const summary = await withBulkContext(
        async (ctx) => {
          // This process's workers hand over the files of its batch as they render them, and
          // they are written at once (and not stored, unless --keep-files); the rest (made by
          // other processes' workers) are read back from the blob store as the index reaches them.
          const keep = opts.keepFiles === true;
          // Without this process's workers every file is rendered elsewhere, and stored.
          const filesKept = keep || !opts.localWorkers;
          const writtenAlready = new Map<string, string>();
          const write = async (output: ExportOutput) => {
            const bytesOf = new Map([[output.docx.sha256, output.docx.bytes]]);
            if (output.pdf) bytesOf.set(output.pdf.sha256, output.pdf.bytes);
            const row = {
              status: 'done' as const,
              outputSha256: output.docx.sha256,
              outputName: output.name,
              pdfSha256: output.pdf?.sha256 ?? null,
            };
            await Promise.all(
              exportFiles(row, files).map(async (f) => {
                await writeSmallFile(join(out, f.name), bytesOf.get(f.sha256) as Uint8Array);
                writtenAlready.set(f.name, f.sha256);
              }),
            );
          };
          if (opts.localWorkers) ctx.startWorkers([QueueName.Generate]);
          const bar = new ProgressBar('export');
          const batchId = await ctx.exports.run(
            filterOf(opts),
            {
              asYear: opts.asYear,
              pdf: opts.pdf,
              noDocx: files.noDocx || undefined,
              writtenTo: filesKept ? undefined : out,
            },
            (batch) => {
              ctx.batch = { kind: 'export', id: batch.id, createdAt: batch.createdAt };
              // Before the first item is queued: every item this process renders is delivered.
              if (opts.localWorkers) ctx.deliverExport({ batchId: batch.id, keep, write });
            },
          );
          const completed = ctx.reports
            .waitForCompletion(batchId, bar.enabled ? (p) => bar.update(p) : undefined)
            .then(() => {
              bar.done();
              ctx.deliverExport(undefined);
            });
          // One pass over the batch's rows as they are settled, while the workers still render
          // the rest: the index is written from them, and the files not written yet (in the blob
          // store) are copied to the folder a page at a time. The index takes its name only once
          // whole and the batch complete, so a failed export never leaves half of one.
          let written = 0;
          let page: Array<{ sha256: string; name: string }> = [];
          const flush = async () => {
            if (!page.length) return;
            const bytes = await ctx.storage.blobs.getMany(page.map((p) => p.sha256));
            for (const [i, p] of page.entries()) await writeSmallFile(join(out, p.name), bytes[i]);
            page = [];
          };
          async function* copyingMissing(id: number): AsyncGenerator<ExportRow> {
            for await (const row of exportRows(ctx.storage, id, completed)) {
              const rowFiles = exportFiles(row, files);
              if (rowFiles.length) written++;
              page.push(...rowFiles.filter((f) => writtenAlready.get(f.name) !== f.sha256));
              // Each row comes once: its names are not looked up again, and an export of
              // hundreds of thousands of records does not keep them all.
              for (const f of rowFiles) writtenAlready.delete(f.name);
              if (page.length >= 100) await flush();
              yield row;
            }
            await flush();
          }
          const indexPath = join(out, INDEX_FILE);
          const partial = `${indexPath}.partial`;
          const index = createWriteStream(partial);
          // Written while the workers run, so a command stopped before the end (Ctrl-C, an
          // outage) would leave half of one behind: the process takes it with it when it exits.
          const dropPartial = () => rmSync(partial, { force: true });
          process.once('exit', dropPartial);
          // The index's own failures (a folder in its place, a full disk) are said as such; a
          // file that could not be copied keeps its own error.
          let indexError: unknown;
          index.once('error', (err) => (indexError = err));
          try {
            await writeExportIndex(copyingMissing(batchId), index, files);
            await finished(index);
            await rename(partial, indexPath).catch((err: unknown) => {
              indexError = err;
              throw err;
            });
            process.off('exit', dropPartial);
          } catch (err) {
            index.destroy();
            await unlink(partial).catch(() => undefined);
            // The workers go on writing the files meanwhile: the export ends with them, as it
            // did when the index came last (or with the batch's own failure, if that was it).
            await completed;
            if (err !== indexError) throw err;
            throw new FormBridgeError(
              ErrorCode.InvalidInput,
              `could not write the index ${indexPath} (${(err as Error).message}); batch ${batchId}'s files were written`,
            );
          }
          await completed;
          const report = await ctx.reports.exportReport(batchId);
          return {
            batchId,
            status: report.status,
            records: report.total,
            written,
            failed: report.failed,
            out,
            index: INDEX_FILE,
            asYear: opts.asYear ?? null,
            pdf: opts.pdf ?? false,
            filesKept,
            failures: report.failures,
            seconds: Math.round((Date.now() - started) / 100) / 10,
          };
        },
        { generate: true, warm: opts.localWorkers ? [QueueName.Generate] : [] },
      );
      process.stdout.write(`${JSON.stringify(summary, null, opts.compact ? undefined : 2)}\n`);
    });
}
