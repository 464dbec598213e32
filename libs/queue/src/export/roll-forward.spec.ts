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
