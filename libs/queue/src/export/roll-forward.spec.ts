import { DefinitionRegistry, definitions } from '@formbridge/definitions';
import { rollForward } from './roll-forward';

describe('rollForward', () => {
  const filed = {
    formType: 'special-fund-performance-target',
    year: 2019,
    projectName: '惠民项目资金',
    projectAttribute: 'new',
    totalFunds: '25.00',
    schedule: [{ content: '实施', start: '2019-01', end: '2020-02-29' }],
    reviews: [{ authority: '财政部门预算股', opinion: '同意。', date: '2019-04-02' }],
    filledBy: '张三',
    filledOn: '2019-03-15',
  };

  it('moves the year and the schedule, clears the old filing and keeps the draft', () => {
    expect(rollForward(filed, 2021)).toEqual({
      ...filed,
      year: 2021,
      projectAttribute: 'continuing',
      schedule: [{ content: '实施', start: '2021-01', end: '2022-02-28' }],
      reviews: [{ authority: '财政部门预算股', opinion: null, date: null }],
      filledOn: null,
    });
  });

  it('leaves the original untouched and handles a department form without schedule or attribute', () => {
    const dept = {
      formType: 'department-overall-performance-target',
      year: 2019,
      reviews: [],
      duties: ['a'],
      filledOn: null,
    };
    expect(rollForward(dept, 2020)).toEqual({ ...dept, year: 2020 });
    expect(filed.year).toBe(2019);
    expect(filed.reviews[0].opinion).toBe('同意。');
  });
});

describe('rollForward into a year of another edition', () => {
  // A made-up later edition of 附件2-1 that renames two fields, drops one and adds one (the
  // contract fixes the real form types' field sets, so no real definition can rename a field).
  const old = definitions().get('special-fund-performance-target', '2019')!;
  const later = structuredClone(old);
  later.edition = '2030';
  later.years = { from: 2030 };
  later.mapFrom = { '2019': { longTermGoal: 'goals.longTerm', departmentName: 'supervisingDepartment' } };
  const rename = (from: string, to: string) => {
    const f = later.fields.find((x) => x.path === from)!;
    f.path = to;
  };
  rename('longTermGoal', 'goals.longTerm');
  rename('departmentName', 'supervisingDepartment');
  later.fields = later.fields.filter((f) => f.path !== 'safeguards');
  later.fields.push({ kind: 'cell', path: 'implementingUnit', labels: ['实施单位'], type: 'text' });
  const registry = new DefinitionRegistry([old, later]);
  const filed = {
    formType: 'special-fund-performance-target',
    attachmentLabel: '附件2-1',
    year: 2029,
    projectName: '惠民项目资金',
    departmentName: '合江街道办事处',
    longTermGoal: '长期目标',
    safeguards: '保障',
    schedule: [{ content: '实施', start: '2029-01', end: '2029-12' }],
    reviews: [{ authority: '财政部门预算股', opinion: '同意。', date: '2029-04-02' }],
    filledOn: '2029-03-15',
  };

  it("moves what the target edition renamed, drops what it lacks and starts what it adds empty, by that edition's mapFrom", () => {
    const next = rollForward(filed, 2030, registry);
    expect(next).toMatchObject({
      year: 2030,
      supervisingDepartment: '合江街道办事处',
      goals: { longTerm: '长期目标' },
      implementingUnit: null,
      schedule: [{ content: '实施', start: '2030-01', end: '2030-12' }],
      reviews: [{ authority: '财政部门预算股', opinion: null, date: null }],
      filledOn: null,
    });
    for (const gone of ['departmentName', 'longTermGoal', 'safeguards'])
      expect(next).not.toHaveProperty(gone);
    // Every field of the target edition is there, and nothing else.
    expect(Object.keys(next).sort()).toEqual(
      ['formType', 'attachmentLabel', 'year', ...later.fields.map((f) => f.path.split('.')[0])].sort(),
    );
  });

  it("back into a year of the older edition: the newer edition's renames the other way round", () => {
    const back = rollForward(rollForward(filed, 2030, registry), 2029, registry);
    expect(back).toMatchObject({
      year: 2029,
      projectName: '惠民项目资金',
      departmentName: '合江街道办事处',
      longTermGoal: '长期目标',
      // Dropped on the way to the edition without it.
      safeguards: null,
    });
    for (const gone of ['supervisingDepartment', 'goals', 'implementingUnit'])
      expect(back).not.toHaveProperty(gone);
  });
});
