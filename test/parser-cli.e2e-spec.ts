import { join } from 'node:path';
import { goldenRecords, canonical, FIXTURES } from './support/golden';
import { formbridge } from './support/cli';

describe('npx formbridge parse', () => {
  it('prints the records and warnings as JSON and exits 0', () => {
    const run = formbridge(['parse', join(FIXTURES, 'legacy', 'word', 'seed-all.docx')]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { records: unknown[]; warnings: unknown[] };
    expect(out.records.map(canonical)).toEqual(goldenRecords().map(canonical));
    expect(Array.isArray(out.warnings)).toBe(true);
  });

  it('exits 0 with no records and a warning when the document holds no known form', () => {
    const run = formbridge(['parse', join(FIXTURES, 'quirks', 'no-known-form.docx')]);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { records: unknown[]; warnings: Array<{ code: string }> };
    expect(out.records).toEqual([]);
    expect(out.warnings.map((w) => w.code)).toContain('no-form-found');
  });

  it.each([
    ['not-a-zip.docx', /not a Word document/],
    ['encrypted.docx', /encrypted/],
    ['zip-bomb.docx', /decompression bomb/],
    ['doctype-entities.docx', /DOCTYPE/],
    ['empty.docx', /empty/],
  ])('refuses %s with one clear line on stderr and a non-zero exit', (file, message) => {
    const run = formbridge(['parse', join(FIXTURES, 'bad', file)]);
    expect(run.status).not.toBe(0);
    expect(run.stdout).toBe('');
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^formbridge: /);
    expect(lines[0]).toMatch(message);
    expect(run.stderr).not.toMatch(/\s+at .+\(.+:\d+:\d+\)/);
  });

  it('says so when the file does not exist', () => {
    const run = formbridge(['parse', '/nonexistent/file.docx']);
    expect(run.status).toBe(2);
    expect(run.stderr.trim()).toBe('formbridge: cannot read /nonexistent/file.docx: ENOENT');
  });
});
