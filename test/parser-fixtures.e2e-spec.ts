import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '@formbridge/common';
import { validateRecord } from '@formbridge/contract';
import { FormParser, WarningCode } from '@formbridge/forms';
import { FIXTURES, canonical, goldenRecords } from './support/golden';
import { withDeclaredSize } from './support/zip-headers';

const parser = new FormParser();
const golden = goldenRecords();
const hasSoffice = ['/usr/bin/soffice', '/usr/local/bin/soffice'].some((p) => existsSync(p));

const PRODUCERS = ['word', 'wps', 'libreoffice'];

describe.each(PRODUCERS)('legacy submissions written by %s', (producer) => {
  const dir = join(FIXTURES, 'legacy', producer);

  it('parse the four-form file to the four golden records, in order', async () => {
    const result = await parser.parse(readFileSync(join(dir, 'seed-all.docx')));
    expect(result.records.map(canonical)).toEqual(golden.map(canonical));
  });

  it.each([1, 2, 3, 4])('parse the single-form file seed-%i.docx to its golden record', async (n) => {
    const result = await parser.parse(readFileSync(join(dir, `seed-${n}.docx`)));
    expect(result.records.map(canonical)).toEqual([canonical(golden[n - 1])]);
  });
});

(hasSoffice ? describe : describe.skip)('legacy .doc (Word 97–2003) through LibreOffice', () => {
  it('converts and parses seed-all.doc to the four golden records', async () => {
    const result = await parser.parse(readFileSync(join(FIXTURES, 'legacy', 'doc', 'seed-all.doc')));
    expect(result.records.map(canonical)).toEqual(golden.map(canonical));
  }, 120_000);
});

describe('quirks of real Word files', () => {
  const dir = join(FIXTURES, 'quirks');
  const cases = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.docx')) : [];

  it('has a fixture for every quirk', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases)('%s parses to its expected records', async (file) => {
    const expected = JSON.parse(
      readFileSync(join(dir, file.replace(/\.docx$/, '.expected.json')), 'utf8'),
    ) as {
      records: unknown[];
    };
    const result = await parser.parse(readFileSync(join(dir, file)));
    expect(result.records.map(canonical)).toEqual(expected.records.map(canonical));
  });
});

describe('warnings point back into the document', () => {
  it('every warning has a code, a message, a record index, a path and a location', async () => {
    // Files that have warnings: the quirks, and a form whose checks flag made-up mismatches.
    const dir = join(FIXTURES, 'quirks');
    const files = [
      ...readdirSync(dir)
        .filter((f) => f.endsWith('.docx'))
        .map((f) => join(dir, f)),
      join(FIXTURES, 'family', 'word', 'self-evaluation-mismatches.docx'),
    ];
    const results = await Promise.all(files.map((f) => parser.parse(readFileSync(f))));
    const warnings = results.flatMap((r) => r.warnings);
    expect(warnings.length).toBeGreaterThan(0);
    expect(warnings.some((w) => w.location !== null && w.recordIndex !== null)).toBe(true);
    for (const w of warnings) {
      expect(Object.values(WarningCode)).toContain(w.code);
      expect(w.message).toEqual(expect.any(String));
      expect(w).toHaveProperty('recordIndex');
      expect(w).toHaveProperty('path');
      expect(w).toHaveProperty('location');
    }
    // Every record parse prints passes the contract's validation.
    for (const r of results.flatMap((x) => x.records)) expect(validateRecord(r)).toEqual([]);
  });
});

describe('bad input gets a clear error, quickly', () => {
  const bad = (name: string) => readFileSync(join(FIXTURES, 'bad', name));
  it.each([
    ['not-a-zip.docx', ErrorCode.NotWord],
    ['empty.docx', ErrorCode.EmptyFile],
    ['truncated.docx', ErrorCode.CorruptFile],
    ['no-document-xml.docx', ErrorCode.MissingDocumentPart],
    ['zip-bomb.docx', ErrorCode.InflatedTooLarge],
    ['doctype-entities.docx', ErrorCode.UnsafeXml],
    ['external-entity.docx', ErrorCode.UnsafeXml],
    ['encrypted.docx', ErrorCode.Encrypted],
    ['image.docx', ErrorCode.NotWord],
  ])('%s → %s', async (file, code) => {
    const started = Date.now();
    await expect(parser.parse(bad(file))).rejects.toMatchObject({ code, message: expect.any(String) });
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it('a zip whose directory lies about the inflated size is refused', async () => {
    const lying = readdirSync(join(FIXTURES, 'bad')).filter((f) => /bomb/.test(f) && f !== 'zip-bomb.docx');
    expect(lying.length).toBeGreaterThan(0);
    for (const f of lying) {
      await expect(parser.parse(bad(f))).rejects.toMatchObject({
        code: expect.stringMatching(new RegExp(`${ErrorCode.InflatedTooLarge}|${ErrorCode.CorruptFile}`)),
      });
    }
  });

  it.each(PRODUCERS)(
    'a %s file whose docProps/core.xml declares a wrong size (Apache POI bug 55733) parses with no warning',
    async (producer) => {
      const bytes = readFileSync(join(FIXTURES, 'legacy', producer, 'seed-1.docx'));
      const result = await parser.parse(withDeclaredSize(bytes, 'docProps/core.xml', 100));
      expect(result.records.map(canonical)).toEqual([canonical(golden[0])]);
      expect(result.warnings.filter((w) => w.code === WarningCode.PackagePartSize)).toEqual([]);
    },
  );

  it('a document.xml that declares a wrong size but inflates within the cap is read, with a warning', async () => {
    const bytes = readFileSync(join(FIXTURES, 'legacy', 'word', 'seed-1.docx'));
    const result = await parser.parse(withDeclaredSize(bytes, 'word/document.xml', 1000));
    expect(result.records.map(canonical)).toEqual([canonical(golden[0])]);
    expect(result.warnings).toContainEqual(
      expect.objectContaining({
        code: WarningCode.PackagePartSize,
        recordIndex: null,
        message: expect.stringContaining('word/document.xml declares 1000 bytes'),
      }),
    );
  });

  it('a package with entries named ../../ is refused, and nothing is written anywhere', async () => {
    await expect(parser.parse(bad('zip-slip.docx'))).rejects.toMatchObject({ code: ErrorCode.UnsafePackage });
    for (const dir of [process.cwd(), join(process.cwd(), '..'), join(process.cwd(), '..', '..'), '/etc']) {
      expect(readdirSync(dir).filter((f) => f.startsWith('evil'))).toEqual([]);
    }
  });
});
