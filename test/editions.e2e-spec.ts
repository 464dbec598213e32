import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { validateRecord } from '@formbridge/contract';
import { definitions } from '@formbridge/definitions';
import { FormParser, generateDocx } from '@formbridge/forms';
import { rollForward } from '@formbridge/queue';
import { documentXmlOf, withoutLayer } from './support/docx-parts';
import {
  FIXTURES,
  canonical,
  codesAndPaths,
  expectedBeside,
  golden,
  producerFixtures,
} from './support/golden';

/**
 * Two editions of 附件2-1 专项资金绩效目标申报表: 2019 and the province's 2022 revision
 * (templates/special-fund-performance-target.2022.json), same title and same record, another
 * table. The parser says which edition read each form; `export --as-year` draws a record in the
 * edition of the year it is rolled into.
 */
const parser = new FormParser();
const DIR = join(FIXTURES, 'editions');
const FORM_TYPE = 'special-fund-performance-target';
const fixtures = producerFixtures(DIR);
const expectedOf = (file: string) =>
  expectedBeside<{
    records: Array<Record<string, unknown>>;
    editions: string[];
    warnings: Array<{ code: string; path: string | null }>;
  }>(DIR, file);
const editionsOf = (result: { forms: Array<{ edition: string }> }) => result.forms.map((f) => f.edition);

/** Records of the 2022 edition, as the fixtures hold them (written by hand, not by our generator). */
const RECORDS_2022 = [
  expectedOf('word/special-fund-2023.docx').records[0],
  expectedOf('wps/special-fund-2022.docx').records[0],
];
const RECORDS_2019 = [golden('seed-1'), golden('seed-2'), golden('seed-3')];

describe('two editions of 附件2-1, read from files other software wrote', () => {
  it('has both editions, and fixtures of the 2022 edition from all three producers', () => {
    expect(
      definitions()
        .editions(FORM_TYPE)
        .map((d) => d.edition),
    ).toEqual(['2019', '2022']);
    expect(new Set(fixtures.map((f) => f.split('/')[0]))).toEqual(new Set(['word', 'wps', 'libreoffice']));
    expect(fixtures.length).toBeGreaterThanOrEqual(4);
  });

  it.each(fixtures)(
    '%s parses to its exact records, read by the right edition, with exactly its warnings',
    async (file) => {
      const expected = expectedOf(file);
      const result = await parser.parse(readFileSync(join(DIR, file)));
      expect(result.records.map(canonical)).toEqual(expected.records.map(canonical));
      expect(editionsOf(result)).toEqual(expected.editions);
      expect(codesAndPaths(result.warnings)).toEqual(
        [...expected.warnings].sort((a, b) => canonical(a).localeCompare(canonical(b))),
      );
      for (const r of result.records) expect(validateRecord(r)).toEqual([]);
    },
  );

  it('a file holding both editions under the same title: each form read by its own', async () => {
    const result = await parser.parse(readFileSync(join(DIR, 'libreoffice', '2019-and-2022-editions.docx')));
    expect(result.forms).toEqual([
      { formType: FORM_TYPE, edition: '2019' },
      { formType: FORM_TYPE, edition: '2022' },
      { formType: 'department-overall-performance-target', edition: '2019' },
    ]);
    expect(canonical(result.records[0])).toEqual(canonical(golden('seed-3')));
    // Whichever edition read it, a record lists its fields in the contract's order (the golden
    // records'), so the output of one form type never depends on the layout it came from.
    const contractOrder = Object.keys(golden('seed-3'));
    expect(Object.keys(result.records[0])).toEqual(contractOrder);
    expect(Object.keys(result.records[1])).toEqual(contractOrder);
  });

  it('every 2019 form of the older fixtures is still read by the 2019 edition', async () => {
    for (const producer of ['word', 'wps', 'libreoffice']) {
      const result = await parser.parse(readFileSync(join(FIXTURES, 'legacy', producer, 'seed-all.docx')));
      expect(editionsOf(result)).toEqual(['2019', '2019', '2019', '2019']);
    }
  });
});

describe('generate → parse in both editions', () => {
  it.each([
    ...RECORDS_2019.map((r) => ['2019', r.projectName, r] as const),
    ...RECORDS_2022.map((r) => ['2022', r.projectName, r] as const),
  ])(
    'a %s record (%s) is drawn in its edition and read back by it, tagged or by its printed labels alone',
    (edition, _project, record) => {
      const bytes = generateDocx([record]);
      for (const doc of [bytes, withoutLayer(bytes)]) {
        const result = parser.parseDocx(doc);
        expect(result.records.map(canonical)).toEqual([canonical(record)]);
        expect(result.forms).toEqual([{ formType: FORM_TYPE, edition }]);
      }
      // The layout is the edition's own: its labels, not the other edition's.
      const xml = documentXmlOf(bytes);
      expect(xml.includes('专项资金名称')).toBe(edition === '2022');
      expect(xml.includes('专项长期绩效目标')).toBe(edition === '2019');
    },
  );
});

describe('export --as-year across editions', () => {
  // The contract fixes the record's fields, so the editions map field for field (no `mapFrom`
  // renames); what changes is the layout the record is drawn in.
  it.each(RECORDS_2019.map((r) => [r.projectName, r] as const))(
    "a 2019 record (%s) rolled into 2023 is drawn in the 2022 edition's layout, every field kept",
    (_project, record) => {
      const rolled = rollForward(record, 2023);
      expect(rolled).toEqual({
        ...record,
        year: 2023,
        projectAttribute: 'continuing',
        filledOn: null,
        schedule: (record.schedule as Array<Record<string, string>>).map((s) => ({
          ...s,
          start: s.start.replace('2019', '2023'),
          end: s.end.replace('2019', '2023'),
        })),
        reviews: (record.reviews as Array<Record<string, unknown>>).map((r) => ({
          ...r,
          opinion: null,
          date: null,
        })),
      });
      const bytes = generateDocx([rolled]);
      const printed = parser.parseDocx(withoutLayer(bytes));
      expect(printed.forms).toEqual([{ formType: FORM_TYPE, edition: '2022' }]);
      expect(printed.records.map(canonical)).toEqual([canonical(rolled)]);
      expect(printed.warnings).toEqual([]);
    },
  );

  it.each(RECORDS_2022.map((r) => [r.projectName, r] as const))(
    'and back: a 2022-edition record (%s) rolled into 2021 is drawn in the 2019 layout',
    (_project, record) => {
      const rolled = rollForward(record, 2021);
      expect(rolled).toMatchObject({ year: 2021, filledOn: null, projectName: record.projectName });
      const bytes = generateDocx([rolled]);
      const printed = parser.parseDocx(withoutLayer(bytes));
      expect(printed.forms).toEqual([{ formType: FORM_TYPE, edition: '2019' }]);
      expect(printed.records.map(canonical)).toEqual([canonical(rolled)]);
      expect(documentXmlOf(bytes)).not.toContain('专项资金名称');
    },
  );
});
