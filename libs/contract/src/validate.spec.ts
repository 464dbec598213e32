import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { definitions } from '@formbridge/definitions';
import { ContractValidator, validateRecord } from './validate';

const GOLDEN = join(__dirname, '..', '..', '..', 'fixtures', 'golden');
const goldens = readdirSync(GOLDEN)
  .filter((f) => f.endsWith('.json'))
  .map((f) => ({ f, record: JSON.parse(readFileSync(join(GOLDEN, f), 'utf8')) as Record<string, unknown> }));

describe('record validation compiled from the definitions', () => {
  it.each(goldens.map((g) => [g.f, g.record]))('accepts the golden record %s', (_f, record) => {
    expect(validateRecord(record)).toEqual([]);
  });

  it('knows every form type of templates/', () => {
    expect(new ContractValidator(definitions()).formTypes().sort()).toEqual(definitions().formTypes().sort());
  });

  it('reports each wrong field with its JSON path and a reason', () => {
    const seed1 = structuredClone(goldens.find((g) => g.f.startsWith('seed-1'))!.record);
    seed1.totalFunds = '226';
    seed1.filledOn = '2019年3月';
    seed1.typo = 1;
    delete seed1.basis;
    (seed1.indicators as Array<Record<string, unknown>>)[2].level1 = null;
    seed1.projectAttribute = 'maybe';
    expect(validateRecord(seed1)).toEqual(
      expect.arrayContaining([
        { path: '$.totalFunds', reason: expect.stringContaining('two decimals') },
        { path: '$.filledOn', reason: expect.stringContaining('YYYY-MM-DD') },
        { path: '$.typo', reason: 'property typo should not exist' },
        { path: '$.basis', reason: expect.stringContaining('missing') },
        { path: '$.indicators[2].level1', reason: expect.stringContaining('not blank') },
        { path: '$.projectAttribute', reason: expect.stringContaining('continuing, new') },
      ]),
    );
    expect(validateRecord(seed1)).toHaveLength(6);
  });

  it('refuses an unknown form type and a value that is not an object', () => {
    expect(validateRecord({ formType: 'nope' })).toEqual([
      { path: '$.formType', reason: expect.stringContaining('formType must be one of') },
    ]);
    expect(validateRecord([])).toEqual([{ path: '$', reason: 'a record must be a JSON object' }]);
  });

  it('refuses blank text and a required amount that is null', () => {
    const seed4 = structuredClone(goldens.find((g) => g.f.startsWith('seed-4'))!.record);
    (seed4.budget as Record<string, unknown>).total = null;
    seed4.departmentName = '  ';
    expect(
      validateRecord(seed4)
        .map((e) => e.path)
        .sort(),
    ).toEqual(['$.budget.total', '$.departmentName']);
  });
});
