import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { ErrorCode } from '@formbridge/common';
import { loadConfig } from '@formbridge/config';
import { definitions } from '@formbridge/definitions';
import { generateDocx } from '@formbridge/forms';
import { PublicRecord, RecordService, Storage } from '@formbridge/storage';
import { PdfConverterPool } from '@formbridge/word';
import { WORD_FIXTURES } from './support/bulk-files';
import {
  dropQueues,
  dropSchema,
  exportOverHttp,
  startService,
  testConfig,
  testEnv,
} from './support/bulk-env';
import { formbridge } from './support/cli';
import { FIXTURES, goldenRecords } from './support/golden';
import { standardLabels } from './support/labels';
import {
  brokenInsideWords,
  inOrder,
  pdfFonts,
  pdfPages,
  popplerAvailable,
  printedLabels,
} from './support/pdf';

/**
 * Print-ready output: PDFs rendered by the pool of long-lived LibreOffice converters (read back
 * with pdftotext and pdffonts), PDFs in exports, and the records as a spreadsheet read back with
 * ExcelJS.
 */
const config = loadConfig();
const officeAvailable =
  spawnSync(config.SOFFICE_PATH, ['--version'], { encoding: 'utf8' }).error === undefined &&
  spawnSync(config.UNO_PYTHON, ['-c', 'import uno'], { encoding: 'utf8' }).status === 0;
if (!officeAvailable || !popplerAvailable)
  console.warn('print: PDF checks skipped, LibreOffice with python3-uno or poppler-utils is not installed');
const withOffice = officeAvailable && popplerAvailable ? it : it.skip;

const golden = goldenRecords();
const squeeze = (s: string) => s.replace(/\s+/g, '');
const poolOf = (options: Partial<ConstructorParameters<typeof PdfConverterPool>[0]> = {}) =>
  new PdfConverterPool({
    soffice: config.SOFFICE_PATH,
    python: config.UNO_PYTHON,
    size: 2,
    timeoutMs: 60_000,
    ...options,
  });

/** Running converters: each has its own private folder, named on its processes' command lines. */
function officeProcesses(): number {
  const ps = spawnSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).stdout;
  return new Set(ps.match(/formbridge-pdf-\w+/g) ?? []).size;
}

describe('PDF converter pool', () => {
  withOffice(
    'renders every form type with its text exact, on the expected pages, in CJK serif faces, from long-lived converters',
    async () => {
      const pool = poolOf();
      try {
        // Twice as many files as converters: the second round reuses the running offices.
        const docs = [...golden, ...golden].map((r) => generateDocx([r]));
        const pdfs = await Promise.all(docs.map((d) => pool.convert(d)));
        expect(officeProcesses()).toBeGreaterThan(0);
        expect(officeProcesses()).toBeLessThanOrEqual(2);
        for (const [i, record] of golden.entries()) {
          const pages = pdfPages(pdfs[i]);
          expect(pages.length).toBeGreaterThanOrEqual(1);
          expect(pages.length).toBeLessThanOrEqual(3);
          expect(pdfPages(pdfs[i + golden.length])).toEqual(pages);
          const text = pages.join('');
          const def = definitions().get(String(record.formType))!;
          expect(
            pages[0].startsWith(`${record.attachmentLabel}${def.title.text}（${record.year}年度）`),
          ).toBe(true);
          // Chinese text extractable and exact: short values whole, wrapped ones in order (pdftotext
          // interleaves the lines of cells side by side; a value's characters still come in order).
          expect(text).toContain(squeeze(String(record.projectName ?? record.departmentName)));
          const values = [record.departmentName, record.basis, record.longTermGoal, record.phone]
            .filter((v): v is string => typeof v === 'string')
            .map(squeeze);
          for (const v of values) expect(inOrder(text, v)).toBe(true);
          const fonts = pdfFonts(pdfs[i]);
          // Body and title in Noto Serif CJK (仿宋_GB2312, 方正小标宋简体 through libreoffice/fonts.conf),
          // the 附件 label in Noto Sans CJK (黑体); no Latin face for the digits.
          expect(fonts).toEqual(
            expect.arrayContaining([
              expect.stringMatching(/^NotoSerifCJK\w*-Regular/),
              expect.stringMatching(/^NotoSerifCJK\w*-Bold/),
            ]),
          );
          expect(fonts.filter((f) => /Sans/.test(f) && /CJK/.test(f))).toHaveLength(1);
          expect(fonts.filter((f) => /Liberation|Times|DejaVuSerif/.test(f))).toEqual([]);
        }
        expect(pdfFonts(pdfs[3]).filter((f) => !/CJK/.test(f))).toEqual([]); // no checkbox glyphs
      } finally {
        await pool.close();
      }
      expect(officeProcesses()).toBe(0);
    },
    180_000,
  );

  withOffice(
    'prints every standard label of every form type whole, or broken between its words',
    async () => {
      // Every golden record, the national family's too: each form type with all its standard rows;
      // and, for an edition no golden record's year uses, a golden record of its form type filed in
      // that edition's first year.
      const dir = join(FIXTURES, 'golden');
      const goldens = readdirSync(dir)
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown>);
      const editionOf = (r: Record<string, unknown>) =>
        definitions().forYear(String(r.formType), Number(r.year))!;
      const records = [
        ...goldens,
        ...definitions()
          .definitions.filter((d) => !goldens.some((r) => editionOf(r) === d))
          .map((d) => ({ ...goldens.find((r) => r.formType === d.formType)!, year: d.years?.from })),
      ];
      expect(new Set(records.map(editionOf))).toEqual(new Set(definitions().definitions));
      const pool = poolOf();
      try {
        const pdfs = await Promise.all(records.map((r) => pool.convert(generateDocx([r]))));
        for (const [i, record] of records.entries()) {
          const def = editionOf(record);
          const labels = standardLabels(def);
          expect(labels.length).toBeGreaterThan(10);
          const printed = printedLabels(pdfs[i], labels);
          // Each label is found on the page, and none ends a line inside a word (二级指 / 标).
          const missing = labels.filter((l) => printed.get(l)!.length === 0);
          const broken = labels.flatMap((l) =>
            brokenInsideWords(l, printed.get(l)!).map((pieces) => pieces.join(' / ')),
          );
          expect({ form: `${def.formType}.${def.edition}`, missing, broken }).toEqual({
            form: `${def.formType}.${def.edition}`,
            missing: [],
            broken: [],
          });
        }
      } finally {
        await pool.close();
      }
    },
    180_000,
  );

  it('says what to install when LibreOffice or its Python bridge is missing, without hanging', async () => {
    const t = Date.now();
    for (const options of [{ soffice: '/nonexistent/soffice' }, { python: '/nonexistent/python3' }]) {
      const pool = poolOf(options);
      await expect(pool.convert(generateDocx([golden[0]]))).rejects.toMatchObject({
        code: ErrorCode.ConverterMissing,
        message: expect.stringContaining('apt-get install libreoffice-writer-nogui python3-uno'),
      });
      await pool.close();
    }
    expect(Date.now() - t).toBeLessThan(30_000);
  });

  withOffice(
    'kills a converter that overruns its timeout, with its office, and the next file gets a fresh one',
    async () => {
      const slow = poolOf({ size: 1, timeoutMs: 250 });
      try {
        // 200 forms take LibreOffice seconds even on a fast host (40 once took it under a second).
        const big = generateDocx(Array.from({ length: 200 }, (_, i) => golden[i % golden.length]));
        await expect(slow.convert(big)).rejects.toThrow(/timed out after 250 ms/);
        expect(officeProcesses()).toBe(0);
      } finally {
        // A failed check must not leave an office running: it would keep Jest from exiting.
        await slow.close();
      }
    },
    120_000,
  );
});

describe('print-ready exports and the records spreadsheet (PostgreSQL + Redis)', () => {
  const env = testEnv();
  // Made when the suite runs, not when it is collected: a run that skips it leaves no folder.
  let dir: string;
  let storage: Storage;
  let records: PublicRecord[];

  const run = (args: string[]) => {
    const r = formbridge(args, env);
    if (r.status !== 0) throw new Error(`${args[0]} exited ${r.status}: ${r.stderr}`);
    return r;
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fb-print-'));
    run(['import', join(WORD_FIXTURES, 'seed-all.docx'), '--compact']);
    storage = await Storage.open(testConfig(env));
    records = [];
    for await (const r of new RecordService(storage.records).stream({})) records.push(r);
    expect(records).toHaveLength(4);
  }, 120_000);

  afterAll(async () => {
    await storage?.close();
    await dropSchema(env.DATABASE_SCHEMA);
    await dropQueues(env.QUEUE_PREFIX);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('writes the records as .xlsx: a sheet per form type, every scalar field a column, amounts as numbers, parts and warnings on their own sheets', async () => {
    const file = join(dir, 'records.xlsx');
    run(['records', '--xlsx', file]);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const names = book.worksheets.map((s) => s.name);
    expect(names).toEqual(
      expect.arrayContaining([
        '专项资金绩效目标申报表',
        '专项资金绩效目标申报表-实施进度计划',
        '专项资金绩效目标申报表-年度绩效指标',
        '部门整体支出绩效目标申报表',
        '部门整体支出绩效目标申报表-部门职能职责概述',
        '警告',
      ]),
    );
    const rowsOf = (name: string) => {
      const sheet = book.getWorksheet(name)!;
      const header = (sheet.getRow(1).values as unknown[]).slice(1) as string[];
      const rows: Array<Record<string, unknown>> = [];
      for (let i = 2; i <= sheet.rowCount; i++) {
        const values = (sheet.getRow(i).values as unknown[]).slice(1);
        rows.push(Object.fromEntries(header.map((h, k) => [h, values[k] ?? null])));
      }
      return { sheet, header, rows };
    };
    const special = rowsOf('专项资金绩效目标申报表');
    expect(special.sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(special.sheet.autoFilter).toBeTruthy();
    const specials = records.filter((r) => r.formType === 'special-fund-performance-target');
    expect(special.rows).toHaveLength(specials.length);
    for (const r of specials) {
      const row = special.rows.find((x) => x['记录编号'] === r.id)!;
      expect(row).toMatchObject({
        年度: r.year,
        专项资金名称: r.projectName,
        主管部门: r.departmentName,
        '年度资金总额（万元）': Number(r.totalFunds),
        立项依据: r.basis,
        专项属性: r.projectAttribute === 'continuing' ? '延续专项' : '新增专项',
      });
      const indicators = rowsOf('专项资金绩效目标申报表-年度绩效指标').rows.filter(
        (x) => x['记录编号'] === r.id,
      );
      expect(
        indicators.map((x) => ({
          level1: x['一级指标'],
          level2: x['二级指标'],
          content: x['三级指标'],
          value: x['指标值'],
          remark: x['备注'],
        })),
      ).toEqual(r.indicators);
    }
    const amountColumn = special.header.indexOf('年度资金总额（万元）') + 1;
    expect(special.sheet.getColumn(amountColumn).numFmt).toBe('#,##0.00');

    const dept = records.find((r) => r.formType === 'department-overall-performance-target')!;
    const deptRow = rowsOf('部门整体支出绩效目标申报表').rows[0];
    const budget = dept.budget as { total: string; byIncome: Record<string, string> };
    expect(deptRow).toMatchObject({
      记录编号: dept.id,
      部门名称: dept.departmentName,
      '资金总额（万元）': Number(budget.total),
      '公共财政拨款（万元）': Number(budget.byIncome.publicFinance),
    });
    const duties = rowsOf('部门整体支出绩效目标申报表-部门职能职责概述').rows;
    expect(duties.map((x) => x['部门职能职责概述'])).toEqual(dept.duties);
    expect(duties.map((x) => x['序号'])).toEqual((dept.duties as string[]).map((_, i) => i + 1));

    const stored = await Promise.all(records.map((r) => storage.documents.warnings(r.source.documentId!)));
    const expected = stored[0].filter((w) => typeof w.recordIndex === 'number');
    expect(
      rowsOf('警告')
        .rows.map((w) => w['代码'])
        .sort(),
    ).toEqual(expected.map((w) => w.code).sort());
  });

  withOffice(
    'exports PDFs beside the .docx files with --pdf, and PDFs alone with --no-docx, named in Chinese',
    () => {
      const out = join(dir, 'out');
      const summary = JSON.parse(run(['export', '--pdf', '--out', out, '--compact']).stdout) as Record<
        string,
        unknown
      >;
      expect(summary).toMatchObject({ status: 'completed', records: 4, written: 4, failed: 0, pdf: true });
      const files = readdirSync(out);
      const pdfs = files.filter((f) => f.endsWith('.pdf'));
      expect(pdfs).toHaveLength(4);
      expect(pdfs.map((f) => f.replace(/\.pdf$/, '.docx')).sort()).toEqual(
        files.filter((f) => f.endsWith('.docx')).sort(),
      );
      for (const name of pdfs) {
        expect(name).toMatch(/^2019年_(专项资金|部门整体支出)绩效目标申报表_.+_r\d+\.pdf$/);
        const id = Number(/_r(\d+)\.pdf$/.exec(name)![1]);
        const record = records.find((r) => r.id === id)!;
        const text = pdfPages(readFileSync(join(out, name))).join('');
        expect(text).toContain(squeeze(String(record.projectName ?? record.departmentName)));
      }
      const only = join(dir, 'only');
      run([
        'export',
        '--pdf',
        '--no-docx',
        '--form-type',
        'department-overall-performance-target',
        '--out',
        only,
      ]);
      expect(readdirSync(only).sort()).toEqual([
        expect.stringMatching(/^2019年_部门整体支出.*\.pdf$/),
        'index.xlsx',
      ]);
    },
    300_000,
  );

  withOffice(
    'over HTTP: GET /records/:id/pdf, GET /records.xlsx with filters, and PDFs in the export archive',
    async () => {
      const service = await startService('parser', env);
      const generator = await startService('generator', env);
      try {
        const base = service.base;
        const dept = records.find((r) => r.formType === 'department-overall-performance-target')!;
        const pdf = await fetch(`${base}/records/${dept.id}/pdf`);
        expect(pdf.status).toBe(200);
        expect(pdf.headers.get('content-type')).toBe('application/pdf');
        expect(pdf.headers.get('content-disposition')).toContain(
          encodeURIComponent('2019年_部门整体支出绩效目标申报表'),
        );
        const text = pdfPages(new Uint8Array(await pdf.arrayBuffer())).join('');
        expect(text).toContain(squeeze(String(dept.departmentName)));
        expect((await fetch(`${base}/records/999999/pdf`)).status).toBe(404);

        const xlsx = await fetch(`${base}/records.xlsx?formType=special-fund-performance-target`);
        expect(xlsx.status).toBe(200);
        const book = new ExcelJS.Workbook();
        await book.xlsx.load(await xlsx.arrayBuffer());
        expect(book.getWorksheet('专项资金绩效目标申报表')!.rowCount).toBe(1 + 3);
        expect(book.getWorksheet('部门整体支出绩效目标申报表')!.rowCount).toBe(1);
        expect((await fetch(`${base}/records.xlsx?formType=nope`)).status).toBe(400);

        const { entries } = await exportOverHttp(base, { project: '惠民', pdf: true }, 120_000);
        const names = Object.keys(entries).sort();
        expect(names).toEqual([
          expect.stringMatching(/^2019年_专项资金绩效目标申报表_惠民项目资金_r\d+\.docx$/),
          expect.stringMatching(/^2019年_专项资金绩效目标申报表_惠民项目资金_r\d+\.pdf$/),
          'index.xlsx',
        ]);
        expect(pdfPages(entries[names[1]]).join('')).toContain('惠民项目资金');
      } finally {
        for (const s of [service, generator]) {
          s.child.kill('SIGTERM');
          await s.exited;
        }
      }
    },
    300_000,
  );
});
