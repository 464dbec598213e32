import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { ExportRow, Storage } from '@formbridge/storage';

const PAGE = 1000;

/** An export's items in order, with their records' index columns, a page at a time. */
export async function* exportRows(storage: Storage, batchId: number): AsyncGenerator<ExportRow> {
  let after = 0;
  for (;;) {
    const page = await storage.batches.exportRows(batchId, after, PAGE);
    yield* page;
    if (page.length < PAGE) return;
    after = page[page.length - 1].position;
  }
}

/**
 * Writes the .xlsx index of an export, a row per selected record (the file written, or why not),
 * streaming, so a large export never sits in memory as a workbook.
 */
export async function writeExportIndex(
  rows: AsyncIterable<ExportRow>,
  out: Writable,
  asYear?: number,
): Promise<number> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true });
  const sheet = workbook.addWorksheet('export');
  sheet.columns = [
    { header: 'file', key: 'file', width: 60 },
    { header: 'record id', key: 'recordId', width: 10 },
    { header: 'form type', key: 'formType', width: 38 },
    { header: 'year', key: 'year', width: 8 },
    { header: 'source year', key: 'sourceYear', width: 12 },
    { header: 'department', key: 'department', width: 36 },
    { header: 'project', key: 'project', width: 36 },
    { header: 'status', key: 'status', width: 10 },
    { header: 'reason', key: 'reason', width: 60 },
  ];
  let count = 0;
  for await (const r of rows) {
    sheet
      .addRow({
        file: r.outputName ?? '',
        recordId: r.recordId,
        formType: r.formType,
        year: asYear ?? r.year,
        sourceYear: r.year,
        department: r.department,
        project: r.project,
        status: r.status === 'done' ? 'written' : r.status,
        reason: r.reason ?? '',
      })
      .commit();
    count++;
  }
  sheet.commit();
  await workbook.commit();
  return count;
}
