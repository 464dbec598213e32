import type { Writable } from 'node:stream';
// Types only at the top: ExcelJS takes 0.15-0.4 s to load, which every `formbridge` command and
// service paid at start-up though only the workbooks need it (loadWorkbookWriter).
import type ExcelJS from 'exceljs';
import { loadWorkbookWriter } from './load-excel';
import { sleepUnless } from '@formbridge/common';
import type { ExportRow, Storage } from '@formbridge/storage';
import { formTitle, pdfFileName } from './export-file-name';

const PAGE = 1000;

/** The style of every cell below the header: none. */
const PLAIN: Partial<ExcelJS.Style> = {};

/**
 * An export's items in order, with their records' index columns, a page at a time.
 *
 * With `completed`, read while the export's jobs still run: each item as soon as it is settled
 * (done or failed) and every item before it is too, and once `completed` has resolved, every item
 * that is left, in whatever state. `formbridge export` writes its index so, behind the workers:
 * after them, it was a second or so of one core with the other idle at the end of every export
 * (docs/bench.md). Throws what `completed` rejects with.
 */
export async function* exportRows(
  storage: Storage,
  batchId: number,
  completed?: Promise<void>,
  pollMs = 250,
): AsyncGenerator<ExportRow> {
  let complete = completed === undefined;
  const over = completed?.then(() => {
    complete = true;
  });
  over?.catch(() => undefined); // awaited below, or by the caller
  let after = 0;
  for (;;) {
    // Read before the page: a batch completed before the page was read has no item pending in it.
    const all = complete;
    const page = await storage.batches.exportRows(batchId, after, PAGE, !all);
    yield* page;
    if (page.length) after = page[page.length - 1].position;
    if (page.length === PAGE) continue;
    if (all || !over) return;
    await sleepUnless(pollMs, over);
  }
}

export interface ExportIndexOptions {
  asYear?: number;
  /** The export holds PDFs (beside the .docx files, or instead of them with `noDocx`). */
  pdf?: boolean;
  noDocx?: boolean;
}

/** The options an export batch was started with, as stored with it. */
export function exportOptionsOf(options: Record<string, unknown>): ExportIndexOptions {
  return {
    asYear: typeof options.asYear === 'number' ? options.asYear : undefined,
    pdf: options.pdf === true,
    noDocx: options.pdf === true && options.noDocx === true,
  };
}

/**
 * The folder `formbridge export` wrote an export's files to without keeping a copy in storage (its
 * `writtenTo` option): such an export has no download. Undefined for any other batch.
 */
export function writtenToOf(options: Record<string, unknown> | undefined): string | undefined {
  return typeof options?.writtenTo === 'string' ? options.writtenTo : undefined;
}

/** The files an export item contributes, by kind: its .docx and its PDF, as the export asked. */
export function exportFiles(
  row: Pick<ExportRow, 'status' | 'outputSha256' | 'outputName' | 'pdfSha256'>,
  options: ExportIndexOptions,
): Array<{ sha256: string; name: string }> {
  if (row.status !== 'done' || !row.outputSha256 || !row.outputName) return [];
  const files: Array<{ sha256: string; name: string }> = [];
  if (!options.noDocx) files.push({ sha256: row.outputSha256, name: row.outputName });
  if (options.pdf && row.pdfSha256) files.push({ sha256: row.pdfSha256, name: pdfFileName(row.outputName) });
  return files;
}

/**
 * Writes the .xlsx index of an export, a row per selected record (the files written, or why not),
 * with Chinese headers for the clerks who open it; streaming, so a large export never sits in
 * memory as a workbook.
 */
export function writeExportIndex(
  rows: AsyncIterable<ExportRow>,
  out: Writable,
  options: ExportIndexOptions = {},
): Promise<number> {
  // A stream that fails (a folder where the file should be, a full disk) ends the writing with its
  // error: ExcelJS's writer would wait for it for ever, and so would the export.
  const failed = new Promise<never>((_, reject) => out.once('error', reject));
  const written = writeRows(rows, out, options);
  // Whichever loses the race is settled later with nobody waiting: not an unhandled rejection.
  failed.catch(() => undefined);
  written.catch(() => undefined);
  return Promise.race([written, failed]);
}

async function writeRows(
  rows: AsyncIterable<ExportRow>,
  out: Writable,
  options: ExportIndexOptions,
): Promise<number> {
  const workbook = new (await loadWorkbookWriter())({ stream: out, useStyles: true });
  const sheet = workbook.addWorksheet('导出清单', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = [
    ...(options.noDocx ? [] : [{ header: '文件', key: 'file', width: 60 }]),
    ...(options.pdf ? [{ header: 'PDF 文件', key: 'pdf', width: 60 }] : []),
    { header: '记录编号', key: 'recordId', width: 10 },
    { header: '表名', key: 'form', width: 30 },
    { header: '年度', key: 'year', width: 8 },
    { header: '原年度', key: 'sourceYear', width: 8 },
    { header: '部门名称', key: 'department', width: 36 },
    { header: '项目名称', key: 'project', width: 36 },
    { header: '状态', key: 'status', width: 10 },
    { header: '原因', key: 'reason', width: 60 },
  ];
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: sheet.columns.length } };
  sheet.getRow(1).font = { bold: true };
  let count = 0;
  for await (const r of rows) {
    const done = r.status === 'done';
    const row = sheet.addRow({
      file: done ? (r.outputName ?? '') : '',
      pdf: done && r.outputName && r.pdfSha256 ? pdfFileName(r.outputName) : '',
      recordId: r.recordId,
      form: formTitle(r.formType),
      year: options.asYear ?? r.year,
      sourceYear: r.year,
      department: r.department,
      project: r.project,
      status: done ? '已生成' : r.status === 'failed' ? '失败' : '未完成',
      reason: r.reason ?? '',
    });
    // Every cell of a data row is plain: one style object for them all lets the writer look its
    // style up once, instead of once per cell (a third of the index's time for 10,000 rows).
    row.eachCell((cell) => (cell.style = PLAIN));
    row.commit();
    count++;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
