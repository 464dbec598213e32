import fc from 'fast-check';
import { validateRecord } from '@formbridge/contract';
import { definitions } from '@formbridge/definitions';
import { FormParser } from '../form-parser';
import { WarningCode } from '../warnings';
import { generateDocx } from './docx-generator';
import { withoutLayer } from '../../../../test/support/docx-parts';

/**
 * parse(generate(r)) === r for records the contract allows and a form can print. The values are
 * normalised as the contract says a parse returns them (trimmed lines, no empty lines, amounts
 * with two decimals), since that is the only form a parse can give back.
 */

const parser = new FormParser();
const special = definitions().get('special-fund-performance-target')!;
const vocabulary = (() => {
  const f = special.fields.find((x) => x.path === 'indicators');
  return f?.kind === 'grid' && f.vocabulary ? f.vocabulary.terms : {};
})();

// Chinese text: common ideographs, full-width punctuation and spaces, some Latin, digits and markup.
const HAN = fc.integer({ min: 0x4e00, max: 0x9fa5 }).map((c) => String.fromCodePoint(c));
const PUNCTUATION = fc.constantFrom(...'，。、；：？！“”‘’（）《》【】—…·％＋－'.split(''));
const OTHER = fc.constantFrom(...'ABCxyz0123456789%/-.,()&<>"\'#'.split(''), ' ', '\u3000', '\t');
const char = fc.oneof(
  { weight: 6, arbitrary: HAN },
  { weight: 2, arbitrary: PUNCTUATION },
  { weight: 2, arbitrary: OTHER },
);
const END = fc.oneof(HAN, PUNCTUATION, fc.constantFrom(...'ABC789%)'.split('')));

/** One line as a parse returns it: no spaces at its ends; it starts with an ideograph so it reads as text, not numbering. */
const line = fc.tuple(HAN, fc.array(char, { maxLength: 40 }), END).map(([a, mid, z]) => a + mid.join('') + z);
const shortLine = fc
  .tuple(HAN, fc.array(fc.oneof(HAN, PUNCTUATION), { maxLength: 8 }))
  .map(([a, rest]) => a + rest.join(''));
const text = fc.array(line, { minLength: 1, maxLength: 4 }).map((ls) => ls.join('\n'));
const optionalText = fc.option(text, { nil: null });
const optionalLine = fc.option(line, { nil: null });

/** List items, some starting the way numbering does, so the printed numbering must not eat them. */
const listItem = fc
  .tuple(fc.constantFrom('', '', '', '5', '1.5', '（一）', '目标2：', '指标', '一、', '、', '.'), line)
  .map(([lead, rest]) => lead + rest);

const amount = fc.oneof(
  fc.constantFrom('0.00', '123456789.99', '226.00', '-12.50'),
  fc
    .bigInt({ min: 0n, max: 99_999_999_999n })
    .map((c) => `${c / 100n}.${(c % 100n).toString().padStart(2, '0')}`),
);
const optionalAmount = fc.option(amount, { nil: null });

const pad = (n: number) => String(n).padStart(2, '0');
const day = fc
  .date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true })
  .map((d) => `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`);
const month = fc.oneof(
  day.map((d) => d.slice(0, 7)),
  day,
);
const optionalDay = fc.option(day, { nil: null });

const officialPair = fc.constantFrom(
  ...Object.entries(vocabulary).flatMap(([l1, l2s]) => l2s.map((l2) => [l1, l2] as const)),
);
const indicator = fc
  .record({
    pair: fc.oneof(
      { weight: 5, arbitrary: officialPair },
      { weight: 1, arbitrary: fc.tuple(shortLine, shortLine) },
    ),
    content: optionalText,
    value: fc.option(fc.oneof(line, fc.constantFrom('100%', '≥95%', '3300元/月')), { nil: null }),
    remark: optionalLine,
  })
  // A row with nothing in it is not data (RECORDS.md): the parser leaves it out.
  .filter((i) => i.content !== null || i.value !== null || i.remark !== null)
  .map(({ pair: [level1, level2], ...rest }) => ({ level1, level2, ...rest }));

const scheduleItem = fc
  .record({
    content: fc.option(fc.oneof(listItem, text), { nil: null }),
    start: fc.option(month, { nil: null }),
    end: fc.option(month, { nil: null }),
  })
  .filter((s) => s.content !== null || s.start !== null || s.end !== null);

/** Review authorities print inside their label, so they are label-like: ideographs without spaces. */
const authority = fc.oneof(
  fc.constantFrom('财政部门预算股', '财政绩效管理股', '财政部门预算管理科室', '财政绩效管理部门'),
  fc.array(HAN, { minLength: 2, maxLength: 10 }).map((a) => a.join('')),
);
const review = fc.record({ authority, opinion: optionalText, date: optionalDay });

const common = {
  year: fc.integer({ min: 1949, max: 2999 }),
  fillingUnit: optionalLine,
  reviews: fc.array(review, { maxLength: 3 }),
  filledBy: optionalLine,
  phone: fc.option(
    fc.oneof(fc.stringMatching(/^0\d{3}-\d{7,8}$/), fc.stringMatching(/^1[3-9]\d{9}$/), line),
    { nil: null },
  ),
  filledOn: optionalDay,
};

const specialRecord = fc.record({
  formType: fc.constant('special-fund-performance-target'),
  attachmentLabel: fc.constant('附件2-1'),
  ...common,
  projectName: line,
  projectAttribute: fc.constantFrom('continuing', 'new', null),
  departmentName: optionalLine,
  totalFunds: optionalAmount,
  departmentDuties: optionalText,
  basis: optionalText,
  schedule: fc.array(scheduleItem, { maxLength: 6 }),
  longTermGoal: optionalText,
  annualGoal: optionalText,
  indicators: fc.array(indicator, { maxLength: 14 }),
  safeguards: optionalText,
});

const departmentRecord = fc.record({
  formType: fc.constant('department-overall-performance-target'),
  attachmentLabel: fc.constant('附件3-1'),
  ...common,
  unitHead: optionalLine,
  departmentName: line,
  budget: fc.record({
    total: amount,
    byIncome: fc.record({
      publicFinance: optionalAmount,
      governmentFund: optionalAmount,
      nonTaxSpecialAccount: optionalAmount,
      other: optionalAmount,
    }),
    byExpenditure: fc.record({ basic: optionalAmount, project: optionalAmount }),
  }),
  duties: fc.array(listItem, { maxLength: 25 }),
  overallGoals: fc.array(listItem, { maxLength: 8 }),
  indicators: fc.record({
    output: fc.array(listItem, { maxLength: 12 }),
    effect: fc.array(listItem, { maxLength: 12 }),
  }),
});

const anyRecord = fc.oneof(specialRecord, departmentRecord);

function roundTrips(records: object[]): void {
  for (const r of records) expect(validateRecord(r)).toEqual([]);
  const bytes = generateDocx(records);
  const tagged = parser.parseDocx(bytes);
  expect(tagged.records).toEqual(records);
  // The layer and the printed text agree on every value of a file nobody edited.
  expect(tagged.warnings.filter((w) => w.code === WarningCode.EditedLayer)).toEqual([]);
  expect(parser.parseDocx(withoutLayer(bytes)).records).toEqual(records);
}

describe('parse(generate(r)) equals r', () => {
  it('for special-fund records with random Chinese text, full-width punctuation, long lists and empty optional fields', () => {
    fc.assert(
      fc.property(specialRecord, (r) => roundTrips([r])),
      { numRuns: 150 },
    );
  });

  it('for department-overall records with random budgets, amounts from 0.00 to 123456789.99 and long lists', () => {
    fc.assert(
      fc.property(departmentRecord, (r) => roundTrips([r])),
      { numRuns: 150 },
    );
  });

  it('for documents of several forms of either type', () => {
    fc.assert(
      fc.property(fc.array(anyRecord, { minLength: 2, maxLength: 5 }), (rs) => roundTrips(rs)),
      { numRuns: 40 },
    );
  });

  it('for records whose optional fields are all empty', () => {
    const empty = {
      formType: 'special-fund-performance-target',
      attachmentLabel: '附件2-1',
      year: 2019,
      fillingUnit: null,
      projectName: '空表',
      projectAttribute: null,
      departmentName: null,
      totalFunds: null,
      departmentDuties: null,
      basis: null,
      schedule: [],
      longTermGoal: null,
      annualGoal: null,
      indicators: [],
      safeguards: null,
      reviews: [],
      filledBy: null,
      phone: null,
      filledOn: null,
    };
    roundTrips([empty]);
  });
});
