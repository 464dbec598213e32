import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@formbridge/config';
import { FormParser, WarningCode, generateDocx } from '@formbridge/forms';
import { goldenRecords } from './support/golden';
import { inOrder, pdfPages as pages } from './support/pdf';

/**
 * Generated forms as LibreOffice draws them: converted to PDF, their pages and text read back
 * with pdftotext, and re-saved as .docx (which drops the tags) to read by the labels alone.
 */
const soffice = loadConfig().SOFFICE_PATH;
const missing = ['--version', '-v'].map(
  (flag, i) => spawnSync(i === 0 ? soffice : 'pdftotext', [flag], { encoding: 'utf8' }).error,
);
const available = missing.every((e) => e === undefined);
if (!available) {
  // CI installs both; a laptop without them skips this file rather than failing it.
  console.warn(`generator-render: skipped, ${soffice} or pdftotext is not installed`);
}

const golden = goldenRecords();
let dir: string;

function convert(file: string, to: string): string {
  const run = spawnSync(
    soffice,
    [
      `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
      '--headless',
      '--convert-to',
      to,
      '--outdir',
      join(dir, 'out'),
      file,
    ],
    { encoding: 'utf8', timeout: 120_000 },
  );
  if (run.status !== 0) throw new Error(`soffice failed: ${run.stderr}`);
  const name = file.replace(/^.*\//, '').replace(/\.docx$/, `.${to.split(':')[0]}`);
  return join(dir, 'out', name);
}

const squeeze = (s: string) => s.replace(/\s+/g, '');

/** Every printed value of a record, as it appears on paper. */
function printedValues(record: Record<string, unknown>): string[] {
  const out: string[] = [];
  const walk = (v: unknown, key: string) => {
    if (typeof v === 'string') {
      if (!['formType', 'projectAttribute', 'start', 'end', 'date', 'filledOn'].includes(key)) out.push(v);
    } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (v && typeof v === 'object') Object.entries(v).forEach(([k, x]) => walk(x, k));
  };
  walk(record, '');
  return out.map(squeeze);
}

(available ? describe : describe.skip)('generated forms in LibreOffice', () => {
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'formbridge-render-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('opens the four-form document and prints each form from a new page, with every label and value on it', () => {
    const file = join(dir, 'seed.docx');
    writeFileSync(file, generateDocx(golden));
    const text = pages(convert(file, 'pdf'));
    // Each form fills two A4 pages here (the indicator block runs over); a form starts a page.
    expect(text.length).toBeGreaterThanOrEqual(golden.length);
    expect(text.length).toBeLessThanOrEqual(golden.length * 3);
    const starts = text.map((p, i) => ({ p, i })).filter(({ p }) => /^附件[23]-1/.test(p));
    expect(starts.map(({ p }) => p.slice(0, 5))).toEqual(['附件2-1', '附件2-1', '附件2-1', '附件3-1']);
    starts.forEach(({ p }, k) =>
      expect(p).toContain(
        k < 3
          ? '专项资金绩效目标申报表（2019年度）填报单位（盖章）：'
          : '部门整体支出绩效目标申报表（2019年度）填报单位（盖章）：',
      ),
    );

    golden.forEach((record, k) => {
      const form = text.slice(starts[k].i, starts[k + 1]?.i ?? text.length).join('');
      const printed = (s: string) => expect(inOrder(form, s)).toBe(true);
      for (const value of printedValues(record)) printed(value);
      const labels =
        k < 3
          ? [
              '专项名称',
              '专项属性',
              '延续专项☑',
              '新增专项☐',
              '资金总额（万元）',
              '专项实施进度计划',
              '计划完成时间',
              '2019年1月',
              '2019年12月',
            ]
              .concat([
                '一级指标',
                '二级指标',
                '指标内容',
                '指标值',
                '备注',
                '成本指标',
                '生态效益指标',
                '可持续影响指标',
              ])
              .concat(['审核意见', '（盖章）', '年月日', '填报人：', '联系电话：', '填报日期：'])
          : [
              '年度预算申请（万元）',
              '资金总额：844.93',
              '按收入性质分',
              '按支出性质分',
              '公共财政拨款：844.93',
              '目标1：',
              '指标3：',
            ].concat(['审核部门（签章）', '年月日', '填表人（签名）：', '联系电话：', '填表日期：']);
      labels.forEach(printed);
      // Cells on one line come out whole.
      expect(form).toContain(k < 3 ? '延续专项☑新增专项☐' : '资金总额：844.93');
    });
  });

  it('is read back by its printed labels after LibreOffice re-saves it as .docx and drops the tags', () => {
    const file = join(dir, 'resave.docx');
    writeFileSync(file, generateDocx(golden));
    const resaved = readFileSync(convert(file, 'docx:MS Word 2007 XML'));
    const result = new FormParser().parseDocx(resaved);
    expect(result.records).toEqual(golden);
    expect(result.warnings.map((w) => w.code)).toEqual([WarningCode.EditedLayer]);
  });
});
