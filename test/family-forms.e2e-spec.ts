import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateRecord } from '@formbridge/contract';
import { definitions } from '@formbridge/definitions';
import { FormParser, WarningCode, generateDocx } from '@formbridge/forms';
import { exportFileName, rollForward } from '@formbridge/queue';
import { formbridge } from './support/cli';
import { withoutLayer } from './support/docx-parts';
import {
  FIXTURES,
  canonical,
  codesAndPaths,
  expectedBeside,
  golden,
  producerFixtures,
} from './support/golden';
import { documentXml, p, packageOf, r, tbl, tc, tr } from './support/ooxml';

/**
 * The national family, added as definitions only: 项目支出绩效目标表 (2021) and 项目支出绩效自评表.
 * Fixtures written by Word-, WPS- and LibreOffice-style producers, alone and mixed with the 2019
 * forms; each parses to its exact records and exactly its warnings.
 */
const parser = new FormParser();
const DIR = join(FIXTURES, 'family');
const fixtures = producerFixtures(DIR);
const expectedOf = (file: string) =>
  expectedBeside<{
    records: Array<Record<string, unknown>>;
    warnings: Array<{ code: string; path: string | null }>;
  }>(DIR, file);
const TARGET = golden('extra-5');
const SELF_EVALUATION = golden('extra-6');

describe('the national family, read from files other software wrote', () => {
  it('has fixtures from all three producers', () => {
    expect(new Set(fixtures.map((f) => f.split('/')[0]))).toEqual(new Set(['word', 'wps', 'libreoffice']));
    expect(fixtures.length).toBeGreaterThanOrEqual(7);
  });

  it.each(fixtures)('%s parses to its exact records and exactly its warnings', async (file) => {
    const expected = expectedOf(file);
    const result = await parser.parse(readFileSync(join(DIR, file)));
    expect(result.records.map(canonical)).toEqual(expected.records.map(canonical));
    expect(codesAndPaths(result.warnings)).toEqual(
      [...expected.warnings].sort((a, b) => canonical(a).localeCompare(canonical(b))),
    );
    // Every record parse prints passes the contract's validation.
    for (const r of result.records) expect(validateRecord(r)).toEqual([]);
    expect(result.forms.map((f) => f.formType)).toEqual(expected.records.map((r) => r.formType));
  });

  it('says which edition read each form', async () => {
    const result = await parser.parse(readFileSync(join(DIR, 'libreoffice', 'mixed-2019-and-family.docx')));
    expect(result.forms).toEqual([
      { formType: 'special-fund-performance-target', edition: '2019' },
      { formType: 'project-performance-target', edition: '2021' },
      { formType: 'project-performance-self-evaluation', edition: '2020' },
    ]);
  });

  it('a form ends where the next title begins: the 2019 form takes nothing from the forms after it', async () => {
    for (const file of [
      'libreoffice/mixed-2019-and-family.docx',
      'libreoffice/2019-then-unknown-form.docx',
    ]) {
      const result = await parser.parse(readFileSync(join(DIR, file)));
      expect(canonical(result.records[0])).toEqual(canonical(golden('seed-1')));
    }
  });

  it('the checks flag the made-up mismatches, each pointing into the document', async () => {
    const result = await parser.parse(readFileSync(join(DIR, 'word', 'self-evaluation-mismatches.docx')));
    const flagged = result.warnings.filter((w) =>
      [
        WarningCode.RatioMismatch,
        WarningCode.SumMismatch,
        WarningCode.AboveLimit,
        WarningCode.WeightMismatch,
      ].includes(w.code),
    );
    expect(flagged.length).toBe(6);
    for (const w of flagged) {
      expect(w.recordIndex).toBe(0);
      expect(w.location).toEqual(expect.objectContaining({ table: 0 }));
      expect(w.message).toMatch(/\d/);
    }
    expect(flagged.find((w) => w.code === WarningCode.RatioMismatch)?.message).toContain('97.20');
  });

  it('npx formbridge parse prints the exact records of a family fixture', async () => {
    const run = await formbridge(['parse', join(DIR, 'wps', 'family-and-2019.docx')]);
    expect(run.status).toBe(0);
    const printed = JSON.parse(run.stdout) as { records: unknown[] };
    expect(printed.records.map(canonical)).toEqual(
      expectedOf('wps/family-and-2019.docx').records.map(canonical),
    );
  });
});

describe('generate → parse gives the same record, with no code of their own', () => {
  it.each([
    ['project-performance-target', TARGET],
    ['project-performance-self-evaluation', SELF_EVALUATION],
  ])('%s, through the tagged layer and through the printed labels alone', (_t, record) => {
    const bytes = generateDocx([record]);
    const tagged = parser.parseDocx(bytes);
    expect(tagged.records.map(canonical)).toEqual([canonical(record)]);
    expect(tagged.warnings).toEqual([]);
    const printed = parser.parseDocx(withoutLayer(bytes));
    expect(printed.records.map(canonical)).toEqual([canonical(record)]);
  });

  it('one document holding the 2019 forms and the family, in order', () => {
    const records = [golden('seed-1'), TARGET, golden('seed-4'), SELF_EVALUATION];
    const bytes = generateDocx(records);
    expect(parser.parseDocx(bytes).records.map(canonical)).toEqual(records.map(canonical));
    expect(parser.parseDocx(withoutLayer(bytes)).records.map(canonical)).toEqual(records.map(canonical));
  });
});

describe('label reading of the new forms', () => {
  const cells = (...texts: string[]) => tr(texts.map((t) => tc(p(r(t)))).join(''));
  const parse = (rows: string) =>
    parser.parseDocx(
      packageOf(
        documentXml(p(r('项目支出绩效自评表')) + p(r('（2022年度）')) + tbl(rows, [2000, 2000, 2000, 2000])),
      ),
    );

  it('keeps the first value of a label written twice, with a duplicate-field warning', () => {
    const result = parse(
      cells('项目名称', '惠民项目资金', '主管部门', '甲') + cells('项目名称', '另一个名称', '实施单位', '乙'),
    );
    expect(result.records[0]).toMatchObject({
      projectName: '惠民项目资金',
      supervisingDepartment: '甲',
      implementingUnit: '乙',
    });
    expect(result.warnings.filter((w) => w.code === WarningCode.DuplicateField)).toEqual([
      expect.objectContaining({ path: '$.projectName', location: { table: 0, row: 1, cell: 1 } }),
    ]);
  });

  it('a figure that is not one is null with a warning, never kept as written', () => {
    const result = parse(cells('项目名称', '惠民项目资金', '总分', '九十四分'));
    expect(result.records[0]).toMatchObject({ totalScore: null });
    expect(result.warnings).toContainEqual(
      expect.objectContaining({ code: WarningCode.InvalidNumber, path: '$.totalScore' }),
    );
    expect(validateRecord(result.records[0])).toEqual([]);
  });
});

const soffice = ['/usr/bin/soffice', '/usr/local/bin/soffice'].find((x) => existsSync(x));
(soffice ? describe : describe.skip)('the generated new forms as LibreOffice draws them', () => {
  it('every label and value of both forms is on the PDF pages', () => {
    const dir = mkdtempSync(join(tmpdir(), 'fb-family-pdf-'));
    try {
      writeFileSync(join(dir, 'family.docx'), generateDocx([TARGET, SELF_EVALUATION]));
      const run = spawnSync(
        soffice!,
        [
          `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
          '--headless',
          '--convert-to',
          'pdf',
          '--outdir',
          dir,
          join(dir, 'family.docx'),
        ],
        { encoding: 'utf8', timeout: 120_000 },
      );
      expect(run.status).toBe(0);
      const text = spawnSync('pdftotext', ['-layout', join(dir, 'family.pdf'), '-'], {
        encoding: 'utf8',
      }).stdout.replace(/\s+/g, '');
      // Labels and values short enough to sit on one line of their cells.
      for (const label of [
        '项目支出绩效目标表',
        '一级指标',
        '绩效标准',
        '项目支出绩效自评表',
        '预期目标',
        '实际完成情况',
        '自评等级',
      ])
        expect(text).toContain(label);
      for (const value of ['226.00', '97.20%', '94.92', '0734-8885678', '2023年2月20日'])
        expect(text).toContain(value);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 180_000);
});

describe('exports, roll-forward and the definitions API follow the definitions', () => {
  it('names export files after the fields the definition names', () => {
    expect(exportFileName(5, TARGET)).toBe('2023年_项目支出绩效目标表_基层政权和社区建设_r5.docx');
    expect(definitions().summaryOf(SELF_EVALUATION)).toEqual({
      department: '衡阳市石鼓区合江街道办事处',
      project: '惠民项目资金',
    });
  });

  it("rolls a self-evaluation forward as next year's blank draft, still a valid record", () => {
    const next = rollForward(SELF_EVALUATION, 2023) as typeof SELF_EVALUATION & {
      funds: Record<string, Record<string, unknown>>;
      indicators: Array<Record<string, unknown>>;
      goals: Record<string, unknown>;
    };
    expect(next).toMatchObject({ year: 2023, totalScore: null, grade: null, filledOn: null });
    expect(next.funds.total).toMatchObject({
      annualBudget: '25.00',
      executed: null,
      executionRate: null,
      score: null,
    });
    expect(next.indicators[3]).toMatchObject({ target: '≥50%', weight: '30.00', actual: null, score: null });
    expect(next.goals).toEqual({
      expected: (SELF_EVALUATION.goals as { expected: string }).expected,
      actual: null,
    });
    expect(validateRecord(next)).toEqual([]);
  });
});
