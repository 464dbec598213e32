import type ExcelJS from 'exceljs';

/** ExcelJS, loaded on first use (see the workbook writers). */
export async function loadExcel(): Promise<typeof ExcelJS> {
  return (await import('exceljs')).default;
}
