import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { recordsFromInput } from './generate-input';
import { goldenRecords } from '../../../../test/support/golden';

const [record, , , department] = goldenRecords();

function failure(input: unknown): FormBridgeError {
  try {
    recordsFromInput(input);
  } catch (err) {
    if (err instanceof FormBridgeError) return err;
    throw err;
  }
  throw new Error('expected the input to be refused');
}

describe('recordsFromInput', () => {
  it('takes one record or {"records": [...]}', () => {
    expect(recordsFromInput(record)).toEqual([record]);
    expect(recordsFromInput({ records: [record, department] })).toEqual([record, department]);
  });

  it('points field errors into the input as sent', () => {
    const one = failure({ ...record, year: '2019' });
    expect(one.code).toBe(ErrorCode.InvalidRecord);
    expect(new Set(one.details?.fieldErrors?.map((e) => e.path))).toEqual(new Set(['$.year']));
    const many = failure({
      records: [record, { ...department, budget: { ...(department.budget as object), total: '8.5' } }],
    });
    expect(many.details?.fieldErrors).toEqual([
      { path: '$.records[1].budget.total', reason: expect.stringContaining('two decimals') },
    ]);
  });

  it.each([
    ['an array', [record]],
    ['a string', 'record'],
    ['null', null],
    ['an empty list', { records: [] }],
    ['records that are not a list', { records: record }],
  ])('refuses %s as the wrong shape', (_what, input) => {
    expect(failure(input).code).toBe(ErrorCode.InvalidInput);
  });
});
