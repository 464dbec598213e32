import { DefinitionRegistry, FormDefinition, definitions } from '@formbridge/definitions';
import { documentXml, p, packageOf, r, tbl, tc, tr } from '../../../test/support/ooxml';
import { FormParser } from './form-parser';
import { WarningCode } from './warnings';

type Cell = string | { text: string; span?: number; merge?: 'restart' | 'continue' };

const para = (text: string) => p(text.split('\n').map(r).join('<w:r><w:br/></w:r>'));
const cell = (c: Cell) => {
  const { text, span, merge } = typeof c === 'string' ? { text: c, span: undefined, merge: undefined } : c;
  const props = `${span ? `<w:gridSpan w:val="${span}"/>` : ''}${merge ? `<w:vMerge${merge === 'restart' ? ' w:val="restart"' : ''}/>` : ''}`;
  return tc(para(text), props);
};
const row = (...cells: Cell[]) => tr(cells.map(cell).join(''));
const table = (...rows: string[]) => tbl(rows.join(''), [1500, 1500, 1500, 1500, 1500, 1500]);
const parse = (body: string) => new FormParser().parseDocx(packageOf(documentXml(body)));
const codes = (result: { warnings: Array<{ code: string }> }) => result.warnings.map((w) => w.code);

const heading = para('附件2-1') + para('专项资金绩效目标申报表') + para('（ 2020 年度）');
const indicatorRows = [
  row({ text: '专项年度绩效指标', merge: 'restart' }, '一级指标', '二级指标', '指标内容', '指标值', '备注'),
  row(
    { text: '', merge: 'continue' },
    { text: '产出指标', merge: 'restart' },
    '数量指标',
    '指标一',
    '10个',
    '',
  ),
  row(
    { text: '', merge: 'continue' },
    { text: '', merge: 'continue' },
    { text: '', merge: 'restart' },
    '指标二',
    '20个',
    '',
  ),
  row(
    { text: '', merge: 'continue' },
    { text: '', merge: 'continue' },
    { text: '', merge: 'continue' },
    '指标三',
    '30个',
    '说明',
  ),
  row({ text: '', merge: 'continue' }, { text: '效益指标', merge: 'restart' }, '社会效益指标', '', '', ''),
  row(
    { text: '', merge: 'continue' },
    { text: '', merge: 'continue' },
    '可持续影响\n指标：',
    '指标四',
    '长期',
    '',
  ),
];

describe('reading a special-fund form', () => {
  it('reads values below their labels, several indicators under one merged 二级指标, glyphs before options', () => {
    const body =
      heading +
      table(
        row('专项名称', { text: '示范项目', span: 2 }, '专项属性', { text: '☐延续专项 ☑新增专项', span: 2 }),
        row('部门名称', { text: '某街道', span: 2 }, '资金总额（万元）', { text: '12.5', span: 2 }),
        row({ text: '专项立项依据', span: 6 }),
        row({ text: '依据一\n依据二', span: 6 }),
        ...indicatorRows,
        row('财政部门预算股审核意见', { text: '同意。\n（盖章）\n2020年4月2日', span: 5 }),
      ) +
      para('填报人：张三  联系电话：0734-1234567  填报日期：2020年3月15日');
    const { records, warnings } = parse(body);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({
      year: 2020,
      projectName: '示范项目',
      projectAttribute: 'new',
      totalFunds: '12.50',
      basis: '依据一\n依据二',
      indicators: [
        { level1: '产出指标', level2: '数量指标', content: '指标一', value: '10个', remark: null },
        { level1: '产出指标', level2: '数量指标', content: '指标二', value: '20个', remark: null },
        { level1: '产出指标', level2: '数量指标', content: '指标三', value: '30个', remark: '说明' },
        { level1: '效益指标', level2: '可持续影响指标', content: '指标四', value: '长期', remark: null },
      ],
      reviews: [{ authority: '财政部门预算股', opinion: '同意。', date: '2020-04-02' }],
      filledBy: '张三',
      phone: '0734-1234567',
      filledOn: '2020-03-15',
    });
    expect(warnings.filter((w) => w.code === WarningCode.UnconsumedText)).toEqual([]);
  });

  it('finds the heading inside the table when a producer put it there, and the year in the title', () => {
    const body = table(
      row({ text: '附件2-1', span: 6 }),
      row({ text: '2021年度专项资金绩效目标申报表', span: 6 }),
      row('专项名称', { text: '表内标题项目', span: 5 }),
    );
    const { records, warnings } = parse(body);
    expect(records[0]).toMatchObject({ attachmentLabel: '附件2-1', year: 2021, projectName: '表内标题项目' });
    expect(codes({ warnings })).not.toContain(WarningCode.UnconsumedText);
  });

  it('recognises a form without its title by its labels, and says the title is missing', () => {
    const { records, warnings } = parse(
      table(
        row('专项名称', 'A'),
        row('部门名称', 'B'),
        row('资金总额（万元）', '1'),
        row('专项立项依据', 'C'),
        row('专项长期绩效目标', 'D'),
      ),
    );
    expect(records[0]).toMatchObject({
      formType: 'special-fund-performance-target',
      projectName: 'A',
      totalFunds: '1.00',
    });
    expect(codes({ warnings })).toEqual(
      expect.arrayContaining([WarningCode.TitleMissing, WarningCode.YearMissing]),
    );
  });

  it('flags, never rejects: unknown indicator labels, a schedule that ends before it starts, a missing name, bad amounts (left empty), leftover text', () => {
    const body =
      heading +
      table(
        row('专项名称', ''),
        row('资金总额（万元）', '约二十万'),
        row({ text: '专项实施进度计划', merge: 'restart' }, '专项实施内容', '计划开始时间', '计划完成时间'),
        row({ text: '', merge: 'continue' }, '1、建设', '2020年12月', '2020年1月'),
        row(
          { text: '专项年度绩效指标', merge: 'restart' },
          '一级指标',
          '二级指标',
          '指标内容',
          '指标值',
          '备注',
        ),
        row({ text: '', merge: 'continue' }, '产出指标', '速度指标', '快', '1', ''),
        row('专项资金使用范围', '不属于本表的行'),
      ) +
      para('——————');
    const { records, warnings } = parse(body);
    expect(records[0]).toMatchObject({
      projectName: null,
      totalFunds: null,
      schedule: [{ content: '建设', start: '2020-12', end: '2020-01' }],
      indicators: [{ level1: '产出指标', level2: '速度指标', content: '快', value: '1', remark: null }],
    });
    const byCode = (code: WarningCode) => warnings.filter((w) => w.code === code);
    expect(byCode(WarningCode.RequiredFieldEmpty)[0]).toMatchObject({
      recordIndex: 0,
      path: '$.projectName',
    });
    expect(byCode(WarningCode.InvalidAmount)[0]).toMatchObject({
      path: '$.totalFunds',
      message: expect.stringContaining('约二十万'),
      location: { table: 0, row: 1, cell: 1 },
    });
    expect(byCode(WarningCode.ScheduleOrder)[0]).toMatchObject({ path: '$.schedule[0].start' });
    expect(byCode(WarningCode.UnknownIndicatorLabel)[0]).toMatchObject({
      path: '$.indicators[0].level2',
      location: { table: 0, row: 5 },
    });
    expect(byCode(WarningCode.UnconsumedText).map((w) => w.location)).toEqual([
      { table: 0, row: 6, cell: 0 },
      { table: 0, row: 6, cell: 1 },
    ]);
  });

  it('reads a year written after its label and a review dated in Chinese numerals', () => {
    const body =
      para('附件2-1') +
      para('专项资金绩效目标申报表') +
      para('年度：2021') +
      table(
        row('专项名称', 'X'),
        row('财政部门预算股审核意见', '同意，列入二〇二一年度预算。\n（盖章）\n二〇二一年三月三十一日'),
      );
    const { records } = parse(body);
    expect(records[0]).toMatchObject({
      year: 2021,
      reviews: [{ authority: '财政部门预算股', opinion: '同意，列入二〇二一年度预算。', date: '2021-03-31' }],
    });
  });

  it('reads an option written out without any box as the choice, and two written out as none', () => {
    const one = parse(heading + table(row('专项名称', 'X', '专项属性', '延续专项')));
    expect(one.records[0]).toMatchObject({ projectAttribute: 'continuing' });
    const both = parse(heading + table(row('专项名称', 'X', '专项属性', '延续专项 新增专项')));
    expect(both.records[0]).toMatchObject({ projectAttribute: null });
    const more = parse(heading + table(row('专项名称', 'X', '专项属性', '新增专项（2020年）')));
    expect(more.records[0]).toMatchObject({ projectAttribute: null });
  });

  it('keeps the first value of a label written twice and says where the second was', () => {
    const { records, warnings } = parse(
      heading +
        table(
          row('专项名称', '第一个名称', '部门名称', '某部门'),
          row('专项名称', '第二个名称', '资金总额（万元）', '10'),
        ),
    );
    expect(records[0]).toMatchObject({
      projectName: '第一个名称',
      departmentName: '某部门',
      totalFunds: '10.00',
    });
    expect(warnings.filter((w) => w.code === WarningCode.DuplicateField)).toEqual([
      expect.objectContaining({ path: '$.projectName', location: { table: 0, row: 1, cell: 1 } }),
    ]);
  });

  it('says when two options are ticked and keeps neither', () => {
    const { records, warnings } = parse(
      heading + table(row('专项名称', 'X', '专项属性', '延续专项☑ 新增专项☑')),
    );
    expect(records[0]).toMatchObject({ projectAttribute: null });
    expect(codes({ warnings })).toContain(WarningCode.AmbiguousChoice);
  });
});

describe('reading a department-overall form', () => {
  const head = para('附件3-1') + para('部门整体支出绩效目标申报表') + para('（2020年度）');

  it('reads budget figures written as separate key and value cells, and flags totals that do not add up', () => {
    const body =
      head +
      para('填报单位（盖章）：某街道办事处      单位负责人（签名）：李四') +
      table(
        row('部门名称', { text: '某街道办事处', span: 3 }),
        row({ text: '年度预算申请（万元）', merge: 'restart' }, '资金总额', { text: '100', span: 2 }),
        row({ text: '', merge: 'continue' }, '公共财政拨款', '60', '基本支出', '50'),
        row({ text: '', merge: 'continue' }, '政府性基金拨款', '30', '项目支出', '50'),
        row({ text: '', merge: 'continue' }, '纳入专户管理的非税收入拨款', '0', '其他资金', '0'),
        row('部门职能职责概述', { text: '1.职责甲\n2.职责乙', span: 3 }),
        row('整体绩效目标', { text: '目标1：目标甲', span: 3 }),
        row({ text: '部门整体支出年度绩效指标', merge: 'restart' }, '产出指标', {
          text: '指标1：产出甲\n指标2：产出乙',
          span: 2,
        }),
        row({ text: '', merge: 'continue' }, '效益指标', { text: '指标1：效益甲', span: 2 }),
      );
    const { records, warnings } = parse(body);
    expect(records[0]).toMatchObject({
      fillingUnit: '某街道办事处',
      unitHead: '李四',
      budget: {
        total: '100.00',
        byIncome: {
          publicFinance: '60.00',
          governmentFund: '30.00',
          nonTaxSpecialAccount: '0.00',
          other: '0.00',
        },
        byExpenditure: { basic: '50.00', project: '50.00' },
      },
      duties: ['职责甲', '职责乙'],
      overallGoals: ['目标甲'],
      indicators: { output: ['产出甲', '产出乙'], effect: ['效益甲'] },
    });
    const mismatch = warnings.filter((w) => w.code === WarningCode.SumMismatch);
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]).toMatchObject({ path: '$.budget.total', message: expect.stringContaining('90.00') });
  });
});

describe('telling editions apart', () => {
  // A later edition copied from the 2019 one: same title, and each accepts the other's labels as
  // variants; only the labels each prints differ.
  const old = definitions().get('special-fund-performance-target', '2019')!;
  const later = structuredClone(old);
  later.edition = '2030';
  const prints: Record<string, string> = {
    projectName: '专项资金名称',
    departmentName: '主管部门',
    annualGoal: '年度绩效目标',
  };
  for (const f of later.fields)
    if (f.kind === 'cell' && prints[f.path])
      f.labels = [prints[f.path], ...f.labels.filter((l) => l !== prints[f.path])];
  const parser = new FormParser(new DefinitionRegistry([old, later]));
  const form = ([name, department, goal]: readonly string[]) =>
    parser.parseDocx(
      packageOf(
        documentXml(
          heading +
            table(
              row(name, '惠民项目资金', '专项属性', '延续专项☑'),
              row(department, '合江街道办事处', '资金总额（万元）', '25'),
              row(goal, { text: '完成一个惠民项目', span: 5 }),
            ),
        ),
      ),
    );
  const editionOf = (def: FormDefinition) => ({ formType: def.formType, edition: def.edition });

  it('reads a form with the edition whose printed labels it carries, whichever is newer', () => {
    for (const [labels, def] of [
      [['专项名称', '部门名称', '专项年度绩效目标'], old],
      [['专项资金名称', '主管部门', '年度绩效目标'], later],
      // Two of three as the later edition prints them: still the later edition.
      [['专项资金名称', '部门名称', '年度绩效目标'], later],
    ] as const) {
      const result = form(labels);
      expect(result.forms).toEqual([editionOf(def)]);
      expect(result.records[0]).toMatchObject({
        projectName: '惠民项目资金',
        departmentName: '合江街道办事处',
        annualGoal: '完成一个惠民项目',
      });
    }
  });
});
