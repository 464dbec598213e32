import fc from 'fast-check';
import { applyChanges, diffRecords, mergeRecords, recordDigest, revertChanges } from './record-diff';

const base = {
  formType: 'special-fund-performance-target',
  totalFunds: '226.00',
  budget: { total: '10.00', byIncome: { other: null } },
  indicators: [
    { level1: '产出指标', content: 'a', value: '1' },
    { level1: '效益指标', content: 'b', value: '2' },
  ],
  duties: ['一', '二'],
};

const json = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.string(),
    fc.integer(),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.constantFrom('a', 'b', 'c', 'd'), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('record diff', () => {
  it('names each changed field by its path, with the values before and after', () => {
    const after = structuredClone(base);
    after.totalFunds = '250.00';
    after.indicators[1].value = '3';
    after.duties.push('三');
    expect(diffRecords(base, after)).toEqual([
      { path: '$.duties[2]', op: 'add', after: '三' },
      { path: '$.indicators[1].value', op: 'change', before: '2', after: '3' },
      { path: '$.totalFunds', op: 'change', before: '226.00', after: '250.00' },
    ]);
  });

  it('gives back either side exactly: apply goes forward, revert goes back', () => {
    fc.assert(
      fc.property(json, json, (a, b) => {
        const changes = diffRecords(a, b);
        expect(recordDigest(applyChanges(a, changes))).toBe(recordDigest(b));
        expect(recordDigest(revertChanges(b, changes))).toBe(recordDigest(a));
      }),
      { numRuns: 500 },
    );
  });

  it('digests equal content the same whatever the key order', () => {
    expect(recordDigest({ a: 1, b: [1, { c: 2, d: 3 }] })).toBe(
      recordDigest({ b: [1, { d: 3, c: 2 }], a: 1 }),
    );
    expect(recordDigest({ a: 1 })).not.toBe(recordDigest({ a: 2 }));
  });
});

describe('three-way merge of a returned form', () => {
  it('applies changes made on one side only, from both sides', () => {
    const current = structuredClone(base);
    current.budget.total = '12.00';
    const returned = structuredClone(base);
    returned.totalFunds = '250.00';
    returned.indicators[0].value = '9';
    const { merged, conflicts } = mergeRecords(base, current, returned);
    expect(conflicts).toEqual([]);
    expect(merged).toEqual({
      ...base,
      totalFunds: '250.00',
      budget: { total: '12.00', byIncome: { other: null } },
      indicators: [{ ...base.indicators[0], value: '9' }, base.indicators[1]],
    });
  });

  it('reports a field changed on both sides to different values, and merges nothing', () => {
    const current = { ...structuredClone(base), totalFunds: '230.00' };
    const returned = { ...structuredClone(base), totalFunds: '250.00', duties: ['一'] };
    const result = mergeRecords(base, current, returned);
    expect(result.merged).toBeUndefined();
    expect(result.conflicts).toEqual(['$.totalFunds']);
  });

  it('takes the same change made on both sides as agreement', () => {
    const current = { ...structuredClone(base), totalFunds: '250.00' };
    const returned = { ...structuredClone(base), totalFunds: '250.00', duties: ['一', '二', '三'] };
    expect(mergeRecords(base, current, returned)).toEqual({
      merged: { ...returned },
      conflicts: [],
      theirs: expect.any(Array),
    });
  });

  it('treats a row added on one side and an edit of the same table on the other as a conflict', () => {
    const current = structuredClone(base);
    current.indicators[1].value = '7';
    const returned = structuredClone(base);
    returned.indicators.push({ level1: '效益指标', content: 'b', value: '2' });
    expect(mergeRecords(base, current, returned).conflicts).toEqual(['$.indicators']);
  });
});
