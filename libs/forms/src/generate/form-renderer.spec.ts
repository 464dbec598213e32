import { FormDefinition, definitions } from '@formbridge/definitions';
import { FormRenderer, withStandardRows } from './form-renderer';

const special = definitions().get('special-fund-performance-target', '2019')!;
const standard = (() => {
  const f = special.fields.find((x) => x.path === 'indicators');
  return f?.kind === 'grid' && Array.isArray(f.standardRows) ? f.standardRows : [];
})();

describe('withStandardRows', () => {
  const row = (level1: string, level2: string, content = 'x') => ({ level1, level2, content });
  const names = (rows: Array<Record<string, unknown>>) =>
    rows.map((r) => `${r.level2 as string}${r.content ? '*' : ''}`);

  it("keeps the record's rows in order and puts each missing standard row in its place", () => {
    const items = [
      row('产出指标', '数量指标'),
      row('效益指标', '社会效益指标'),
      row('产出指标', '数量指标', 'y'),
      row('自定义', '其他指标'),
    ];
    expect(names(withStandardRows(items, standard))).toEqual([
      '数量指标*',
      '质量指标',
      '时效指标',
      '成本指标',
      '经济效益指标',
      '社会效益指标*',
      '生态效益指标',
      '可持续影响指标',
      '社会公众或服务对象满意度指标',
      '数量指标*',
      '其他指标*',
    ]);
  });

  it('draws every standard row when the record has none, and pads a counted block', () => {
    expect(names(withStandardRows([], standard))).toEqual(standard.map((s) => s.level2));
    expect(withStandardRows([{ content: 'a' }], 2)).toEqual([{ content: 'a' }, {}]);
    expect(withStandardRows([{ content: 'a' }, { content: 'b' }], 1)).toHaveLength(2);
  });

  it('still places every standard row when the record lists them out of order', () => {
    const items = [row('效益指标', '社会公众或服务对象满意度指标'), row('产出指标', '数量指标')];
    const out = withStandardRows(items, standard);
    expect(out).toHaveLength(standard.length);
    expect(out.filter((r) => r.content).map((r) => r.level2)).toEqual([
      '社会公众或服务对象满意度指标',
      '数量指标',
    ]);
  });
});

describe('FormRenderer', () => {
  const edited = (edit: (def: FormDefinition) => void) => {
    const def = structuredClone(special);
    edit(def);
    return () => new FormRenderer(def);
  };

  it('compiles every definition, each edition of each form type', () => {
    for (const def of definitions().definitions) expect(() => new FormRenderer(def)).not.toThrow();
  });

  it('refuses a layout that would lose a field', () => {
    expect(edited((d) => d.layout.rows.splice(2, 1))).toThrow(/does not draw departmentDuties/);
  });

  it('refuses a table wider than the page or a row whose cells do not fill the grid', () => {
    expect(edited((d) => (d.layout.grid[0] += 2000))).toThrow(/twips wide/);
    expect(
      edited((d) => {
        const first = d.layout.rows[0];
        if ('cells' in first) first.cells[1].span = 1;
      }),
    ).toThrow(/spans 6 of 7 grid columns/);
  });

  it('refuses printed text the parser would not recognise', () => {
    expect(edited((d) => (d.layout.review.seal = '（公章）'))).toThrow(/not boilerplate/);
  });
});
