import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import { definitions } from '@formbridge/definitions';
import type { PublicRecord } from '@formbridge/storage';
import { writeRecordsWorkbook } from './records-workbook';

const golden = (file: string, id: number) =>
  ({
    ...(JSON.parse(
      readFileSync(join(__dirname, '..', '..', '..', '..', 'fixtures', 'golden', file), 'utf8'),
    ) as object),
    id,
    version: 1,
    source: { file: 'x.docx', documentId: null, formIndex: 0 },
    sources: [],
    warnings: [],
  }) as unknown as PublicRecord;

async function workbookOf(records: PublicRecord[]): Promise<ExcelJS.Workbook> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  async function* stream() {
    yield* records;
  }
  await writeRecordsWorkbook(
    definitions().definitions,
    { records: stream(), warnings: () => Promise.resolve([]) },
    out,
  );
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(new Uint8Array(Buffer.concat(chunks)).buffer);
  return book;
}

function rowOf(sheet: ExcelJS.Worksheet, n = 2): Record<string, { value: unknown; numFmt?: string }> {
  const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
  const row = sheet.getRow(n);
  return Object.fromEntries(
    header.map((h, k) => [h, { value: row.getCell(k + 1).value, numFmt: row.getCell(k + 1).numFmt }]),
  );
}

describe('records workbook of the national family', () => {
  it('puts the self-evaluation funds table and goals on the record row, with scores and rates as numbers', async () => {
    const record = golden('extra-6-self-evaluation-2022.json', 6);
    const book = await workbookOf([record]);
    const row = rowOf(book.getWorksheet('项目支出绩效自评表')!);
    const funds = record.funds as Record<string, Record<string, string | null>>;
    const goals = record.goals as Record<string, string>;
    expect(row['年度资金总额-全年执行数（万元）']).toEqual({
      value: Number(funds.total.executed),
      numFmt: '#,##0.00',
    });
    expect(row['年度资金总额-执行率']).toEqual({
      value: Number(funds.total.executionRate),
      numFmt: '0.00"%"',
    });
    expect(row['年度资金总额-得分']).toEqual({ value: Number(funds.total.score), numFmt: '#,##0.00' });
    expect(row['年度总体目标-预期目标'].value).toBe(goals.expected);
    expect(row['年度总体目标-实际完成情况'].value).toBe(goals.actual);
    expect(row['总分'].value).toBe(Number(record.totalScore));
    // A long text makes its row taller, so LibreOffice shows all of it.
    expect(book.getWorksheet('项目支出绩效自评表')!.getRow(2).height).toBeGreaterThan(16);
  });

  it('writes a derived target as its comparison, number and unit', async () => {
    const record = golden('extra-5-project-target-2023.json', 5);
    const book = await workbookOf([record]);
    const sheet = book.worksheets.find((s) => s.name.startsWith('项目支出绩效目标表-'))!;
    const first = (record.indicators as Array<Record<string, unknown>>)[0];
    const target = first.target as { op: string; number: string; unit: string };
    expect(rowOf(sheet)).toMatchObject({
      三级指标: { value: first.level3 },
      指标值及单位: { value: first.value },
      '目标-比较': { value: target.op },
      '目标-数值': { value: Number(target.number) },
      '目标-单位': { value: target.unit },
    });
  });
});
