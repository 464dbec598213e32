import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { CONTRACT_VERSION } from '@formbridge/contract';
import { definitions } from '@formbridge/definitions';
import { readDocx } from '@formbridge/word';
import { FormParser } from '../form-parser';
import { documentFileName, generateDocx } from './docx-generator';
import {
  documentXmlOf,
  partText,
  tableRows,
  tags,
  textOf,
  withoutLayer,
} from '../../../../test/support/docx-parts';
import { goldenRecords } from '../../../../test/support/golden';

const parser = new FormParser();
const golden = goldenRecords();
const special = () => structuredClone(golden[0]);
const department = () => structuredClone(golden[3]);
const special2019 = definitions().get('special-fund-performance-target', '2019')!;

function thrown(f: () => unknown): FormBridgeError {
  try {
    f();
  } catch (err) {
    if (err instanceof FormBridgeError) return err;
    throw err;
  }
  throw new Error('expected a FormBridgeError');
}

describe('generateDocx', () => {
  it.each(golden.map((r, i) => [i + 1, r]))(
    'gives back golden record %i exactly, through its tagged layer and through its printed labels alone',
    (_n, record) => {
      const bytes = generateDocx([record]);
      const tagged = parser.parseDocx(bytes);
      expect(tagged.records).toEqual([record]);
      expect(tagged.warnings).toEqual([]);
      const printed = parser.parseDocx(withoutLayer(bytes));
      expect(readDocx(withoutLayer(bytes)).tagged).toEqual([]);
      expect(printed.records).toEqual([record]);
      expect(printed.warnings).toEqual([]);
    },
  );

  it('puts several records in one document, each form after a page break, in order', () => {
    const bytes = generateDocx(golden);
    const xml = documentXmlOf(bytes);
    expect(xml.match(/<w:pageBreakBefore\/>/g)).toHaveLength(golden.length - 1);
    expect(parser.parseDocx(bytes).records).toEqual(golden);
    expect(parser.parseDocx(withoutLayer(bytes)).records).toEqual(golden);
    const props = readDocx(bytes).customProperties;
    expect(props['FormBridge.ContractVersion']).toBe(CONTRACT_VERSION);
    expect(props['FormBridge.FormCount']).toBe('4');
    expect([1, 2, 3, 4].map((k) => props[`FormBridge.Form${k}.Type`])).toEqual(golden.map((r) => r.formType));
    expect(props['FormBridge.Form1.RecordId']).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
    );
  });

  it('draws A4 portrait with the official margins, a fixed table layout and explicit gridCol widths', () => {
    const xml = documentXmlOf(generateDocx([special()]));
    expect(xml).toContain('<w:pgSz w:w="11906" w:h="16838"/>');
    expect(xml).not.toContain('w:orient="landscape"');
    // GB/T 9704: 37 mm top, 35 mm bottom, 28 mm left, 26 mm right.
    expect(xml).toContain('<w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1587"');
    expect(xml).toContain(
      `<w:tblGrid>${special2019.layout.grid.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`,
    );
    expect(xml).toContain('<w:tblLayout w:type="fixed"/>');
    const cells = xml.match(/<w:tc>/g)?.length ?? 0;
    expect(xml.match(/<w:tcW w:w="\d+" w:type="dxa"\/>/g)).toHaveLength(cells);
    expect(special2019.layout.grid.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(11906 - 1587 - 1474);
  });

  it('names the official faces in every slot of a run, with fallbacks, a bold title and sizes in Chinese points', () => {
    const bytes = generateDocx([special()]);
    const styles = partText(bytes, 'word/styles.xml');
    // Digits and Latin letters in the same face as the Chinese around them.
    expect(styles).toContain(
      '<w:rPrDefault><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hAnsi="仿宋_GB2312" w:cs="仿宋_GB2312" w:hint="eastAsia"/>',
    );
    expect(styles).not.toContain('Times New Roman');
    const style = (id: string) =>
      styles.match(new RegExp(`<w:style [^>]*w:styleId="${id}">[\\s\\S]*?</w:style>`))?.[0] ?? '';
    expect(style('FBTitle')).toContain('w:ascii="方正小标宋简体" w:eastAsia="方正小标宋简体"');
    expect(style('FBTitle')).toContain('<w:b/><w:bCs/>');
    expect(style('FBAttachment')).toContain('w:eastAsia="黑体"');
    expect(style('FBTitle')).toContain('<w:jc w:val="center"/>');
    expect(style('FBTitle')).toContain('<w:sz w:val="44"/>'); // 二号
    expect(style('FBAttachment')).toContain('<w:sz w:val="32"/>'); // 三号
    expect(style('FBLine')).toContain('<w:sz w:val="28"/>'); // 四号
    expect(style('FBValue')).toContain('<w:sz w:val="24"/>'); // 小四
    const fonts = partText(bytes, 'word/fontTable.xml');
    expect(fonts).toContain('<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/>');
    expect(fonts).toContain('<w:font w:name="黑体"><w:altName w:val="SimHei"/>');
    expect(fonts).toContain('<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>');
  });

  it('lays out the heading: attachment label, centred title, year line, then 填报单位 above the table', () => {
    const xml = documentXmlOf(generateDocx([special()]));
    const beforeTable = xml.slice(0, xml.indexOf('<w:tbl>'));
    const paragraphs = beforeTable.match(/<w:p>[\s\S]*?<\/w:p>/g)!.map(textOf);
    expect(paragraphs).toEqual([
      '附件2-1',
      '专项资金绩效目标申报表',
      '（ 2019 年度）',
      '填报单位（盖章）：　　　',
    ]);
    const afterTable = xml.slice(xml.lastIndexOf('</w:tbl>'));
    expect(textOf(afterTable)).toBe('填报人：　　　联系电话：　　　填报日期：　　　');
  });

  it('puts the signature line on tab stops when it fits, and lets long values flow instead of overlapping', () => {
    const line = (record: object) => {
      const xml = documentXmlOf(generateDocx([record]));
      return xml.slice(xml.lastIndexOf('</w:tbl>')).match(/<w:p>[\s\S]*?<\/w:p>/)![0];
    };
    expect(line(special())).toContain('<w:tab w:val="right" w:pos="8844"/>');
    const short = { ...special(), filledBy: '张三', phone: '5551234', filledOn: null };
    expect(line(short)).toContain('<w:tabs>');
    const long = { ...short, phone: '0734-8888888', filledOn: '2019-03-15' };
    expect(line(long)).not.toContain('<w:tabs>');
    // 填报日期 does not fit after the others: it starts the next line instead of breaking at the margin.
    expect(line(long)).toContain('<w:r><w:br/></w:r><w:r><w:t xml:space="preserve">填报日期：');
    expect(line(long).match(/<w:br\/>/g)).toHaveLength(1);
    for (const r of [short, long]) {
      expect(parser.parseDocx(generateDocx([r])).records).toEqual([r]);
      expect(parser.parseDocx(withoutLayer(generateDocx([r]))).records).toEqual([r]);
    }
  });

  it('draws every standard indicator row of the edition, filled or empty, and merges 一级指标 down its rows', () => {
    const record = { ...special(), indicators: [] };
    const rows = tableRows(documentXmlOf(generateDocx([record])));
    const header = rows.findIndex((r) => textOf(r).startsWith('专项年度绩效指标'));
    const body = rows.slice(header + 1, header + 10);
    const standard = special2019.fields.find((f) => f.path === 'indicators');
    expect(standard?.kind === 'grid' && standard.standardRows).toHaveLength(9);
    expect(body.map((r) => textOf(r))).toEqual([
      '产出指标数量指标',
      '质量指标',
      '时效指标',
      '成本指标',
      '效益指标经济效益指标',
      '社会效益指标',
      '生态效益指标',
      '可持续影响指标',
      '社会公众或服务对象满意度指标',
    ]);
    const level1 = (r: string) => r.match(/<w:tc>[\s\S]*?<\/w:tc>/g)![1];
    expect(
      body.map((r) => (level1(r).match(/<w:vMerge(?: w:val="(restart)")?\/>/) ?? [])[1] ?? 'continue'),
    ).toEqual([
      'restart',
      'continue',
      'continue',
      'continue',
      'restart',
      'continue',
      'continue',
      'continue',
      'continue',
    ]);
    expect(parser.parseDocx(generateDocx([record])).records).toEqual([record]);
  });

  it('puts each grid block in a table of its own whose header row repeats, and keeps merged 一级指标 rows on one page', () => {
    const xml = documentXmlOf(generateDocx([special()]));
    const tables = xml.match(/<w:tbl>[\s\S]*?<\/w:tbl>/g)!;
    const first = (t: string) => tableRows(t)[0];
    const grids = tables.filter((t) => first(t).includes('<w:tblHeader/>'));
    expect(grids.map((t) => textOf(first(t)))).toEqual([
      '专项实施进度计划专项实施内容计划开始时间计划完成时间',
      '专项年度绩效指标一级指标二级指标指标内容指标值备注',
    ]);
    // Only a grid's own header repeats: the rows after a grid are in the next table.
    expect(tables.filter((t) => t.includes('<w:tblHeader/>')).length).toBe(2);
    expect(tables.length).toBe(5);
    const body = tableRows(grids[1]).slice(1);
    const keeps = body.map((r) => r.match(/<w:p>/g)!.length === (r.match(/<w:keepNext\/>/g) ?? []).length);
    // 产出指标 over four rows, 效益指标 over five: every row but the last of a merge keeps with the next.
    expect(keeps).toEqual([true, true, true, false, true, true, true, true, false]);
  });

  it('draws several indicators under one 二级指标 as several rows, the 二级指标 cell merged over them', () => {
    const record = special();
    const quantity = (content: string) => ({
      level1: '产出指标',
      level2: '数量指标',
      content,
      value: '100%',
      remark: null,
    });
    record.indicators = [
      quantity('指标甲'),
      quantity('指标乙'),
      quantity('指标丙'),
      ...(record.indicators as object[]).slice(1),
    ];
    const bytes = generateDocx([record]);
    const rows = tableRows(documentXmlOf(bytes)).filter((r) => /指标[甲乙丙]/.test(textOf(r)));
    expect(rows).toHaveLength(3);
    expect(rows.map((r) => r.match(/<w:tc>[\s\S]*?<\/w:tc>/g)![2].includes('<w:vMerge/>'))).toEqual([
      false,
      true,
      true,
    ]);
    expect(parser.parseDocx(bytes).records).toEqual([record]);
    expect(parser.parseDocx(withoutLayer(bytes)).records).toEqual([record]);
  });

  it('draws 专项属性 as real checkbox content controls', () => {
    const xml = documentXmlOf(generateDocx([special()]));
    expect(xml).toMatch(
      /<w:tag w:val="projectAttribute=continuing"\/><w14:checkbox><w14:checked w14:val="1"\/>/,
    );
    expect(xml).toMatch(/<w:tag w:val="projectAttribute=new"\/><w14:checkbox><w14:checked w14:val="0"\/>/);
    for (const projectAttribute of ['new', null]) {
      const record = { ...special(), projectAttribute };
      const bytes = generateDocx([record]);
      expect(parser.parseDocx(bytes).records).toEqual([record]);
      expect(parser.parseDocx(withoutLayer(bytes)).records).toEqual([record]);
    }
  });

  it('tags every value with its record path, and grid cells with the path without the index', () => {
    const specialTags = new Set(tags(documentXmlOf(generateDocx([special()]))));
    for (const t of [
      'attachmentLabel',
      'formType',
      'year',
      'fillingUnit',
      'projectName',
      'totalFunds',
      'basis',
      'safeguards',
      'filledOn',
    ])
      expect(specialTags).toContain(t);
    for (const t of [
      'schedule[].content',
      'schedule[].end',
      'indicators[].level1',
      'indicators[].remark',
      'reviews[].authority',
      'reviews[].opinion',
      'reviews[].date',
    ])
      expect(specialTags).toContain(t);
    expect([...specialTags].filter((t) => /\[\d+\]/.test(t))).toEqual([]);
    const departmentTags = new Set(tags(documentXmlOf(generateDocx([department()]))));
    for (const t of [
      'unitHead',
      'budget.total',
      'budget.byIncome.nonTaxSpecialAccount',
      'budget.byExpenditure.project',
      'duties',
      'indicators.effect',
    ])
      expect(departmentTags).toContain(t);
  });

  it('numbers list items so that the numbering never eats the item text', () => {
    const record = department();
    record.duties = ['5倍于去年的服务量', '1.5万人次', '（一）按季度报送', '目标3：完成'];
    record.overallGoals = ['2个村全覆盖', '目标'];
    const bytes = generateDocx([record]);
    const text = textOf(documentXmlOf(bytes));
    expect(text).toContain('（1）5倍于去年的服务量（2）1.5万人次3.（一）按季度报送4.目标3：完成');
    expect(text).toContain('目标1：2个村全覆盖目标2：目标');
    expect(parser.parseDocx(bytes).records).toEqual([record]);
    expect(parser.parseDocx(withoutLayer(bytes)).records).toEqual([record]);
  });

  it('escapes text that is markup in XML and keeps tabs and line breaks', () => {
    const record = {
      ...special(),
      projectName: 'A&B <项目> "甲"',
      basis: '第一段\t依据\n第二段',
      filledBy: '张三\n李四',
    };
    const bytes = generateDocx([record]);
    expect(parser.parseDocx(bytes).records).toEqual([record]);
    expect(parser.parseDocx(withoutLayer(bytes)).records).toEqual([record]);
  });

  it('refuses an invalid record, listing every field error with its path', () => {
    const err = thrown(() => generateDocx([{ ...special(), totalFunds: '12.5', projectName: '  ' }]));
    expect(err.code).toBe(ErrorCode.InvalidRecord);
    expect(err.details?.fieldErrors?.map((e) => e.path).sort()).toEqual(['$.projectName', '$.totalFunds']);
    const many = thrown(() => generateDocx([special(), { ...department(), budget: { total: 1 } }]));
    expect(many.details?.fieldErrors?.every((e) => e.path.startsWith('$[1].budget'))).toBe(true);
    expect(thrown(() => generateDocx([{ formType: 'tax-return' }])).details?.fieldErrors).toEqual([
      { path: '$.formType', reason: expect.stringContaining('formType must be one of') },
    ]);
  });

  it('refuses a department record that lacks its budget or indicator blocks, rather than printing them empty', () => {
    const { budget: _budget, indicators: _indicators, ...partial } = department();
    const err = thrown(() => generateDocx([partial]));
    expect(err.code).toBe(ErrorCode.InvalidRecord);
    expect(new Set(err.details?.fieldErrors?.map((e) => e.path))).toEqual(
      new Set(['$.budget', '$.indicators']),
    );
  });

  it('refuses a call without records', () => {
    expect(thrown(() => generateDocx([])).code).toBe(ErrorCode.InvalidInput);
  });

  it('gives the same bytes for the same records', () => {
    expect(Buffer.from(generateDocx(golden)).equals(Buffer.from(generateDocx(structuredClone(golden))))).toBe(
      true,
    );
  });

  it('names the file after the project or the department', () => {
    expect(documentFileName([special()])).toBe('基层政权和社区建设.docx');
    expect(documentFileName([department()])).toBe('衡阳市石鼓区合江街道办事处.docx');
    expect(documentFileName(golden)).toBe('基层政权和社区建设 +3.docx');
    expect(documentFileName([{ ...special(), projectName: 'a/b:c*?' }])).toBe('a b c.docx');
  });
});
