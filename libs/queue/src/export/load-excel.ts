import type ExcelJS from 'exceljs';

type WorkbookWriterClass = typeof ExcelJS.stream.xlsx.WorkbookWriter;

/**
 * ExcelJS's streaming workbook writer, loaded on first use (see the workbook writers), and only
 * it: `require('exceljs')` loads the whole library (the in-memory workbook, the readers, CSV),
 * 218-229 ms and 29 MB here, where the writer's own module, the same class that
 * `ExcelJS.stream.xlsx.WorkbookWriter` names, takes 92-95 ms and 18 MB. An export writes its index
 * after its last form, with nothing else left to run, so every one of those milliseconds is
 * added to the command's time (docs/bench.md).
 */
export async function loadWorkbookWriter(): Promise<WorkbookWriterClass> {
  // exceljs 4 has no "exports" map and no types for its lib/, its CommonJS source, which its own
  // entry point requires.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('exceljs/lib/stream/xlsx/workbook-writer') as WorkbookWriterClass;
}
