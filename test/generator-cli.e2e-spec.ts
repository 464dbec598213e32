import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FormParser } from '@formbridge/forms';
import { ROOT, formbridge } from './support/cli';
import { goldenRecords } from './support/golden';

describe('npx formbridge generate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-generate-'));
  const golden = goldenRecords();
  const parser = new FormParser();
  const input = (name: string, value: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
    return file;
  };

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the Word form of one record to -o and prints where', () => {
    const out = join(dir, 'one.docx');
    const run = formbridge(['generate', input('one.json', golden[0]), '-o', out]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`${out}\n`);
    expect(parser.parseDocx(readFileSync(out)).records).toEqual([golden[0]]);
  });

  it('writes one document holding every form of {"records": [...]}', () => {
    const out = join(dir, 'all.docx');
    const run = formbridge(['generate', input('all.json', { records: golden }), '-o', out]);
    expect(run.status).toBe(0);
    expect(parser.parseDocx(readFileSync(out)).records).toEqual(golden);
  });

  it('names the file after the department when -o is left out', () => {
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'formbridge.js'), 'generate', input('dept.json', golden[3])],
      {
        cwd: dir,
        encoding: 'utf8',
      },
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('衡阳市石鼓区合江街道办事处.docx\n');
    expect(parser.parseDocx(readFileSync(join(dir, '衡阳市石鼓区合江街道办事处.docx'))).records).toEqual([
      golden[3],
    ]);
  });

  it('exits non-zero for an invalid record and lists each field error, path and reason, one per line', () => {
    const out = join(dir, 'invalid.docx');
    const bad = {
      records: [
        golden[0],
        { ...golden[3], year: 'x', budget: { ...(golden[3].budget as object), total: '8.5' } },
      ],
    };
    const run = formbridge(['generate', input('invalid.json', bad), '-o', out]);
    expect(run.status).toBe(11);
    expect(run.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    const [first, ...errors] = run.stderr.trimEnd().split('\n');
    expect(first).toMatch(/^formbridge: the record is invalid \(\d+ field errors\)$/);
    expect(errors.length).toBeGreaterThanOrEqual(2);
    for (const line of errors) expect(line).toMatch(/^ {2}\$\.records\[1\]\.(year|budget\.total): .+$/);
    expect(errors.some((l) => l.startsWith('  $.records[1].budget.total: '))).toBe(true);
    expect(errors.some((l) => l.startsWith('  $.records[1].year: '))).toBe(true);
  });

  it('says so in one line when the input is not JSON, or not a record', () => {
    const notJson = formbridge([
      'generate',
      input('broken.json', '{"formType": '),
      '-o',
      join(dir, 'x.docx'),
    ]);
    expect(notJson.status).toBe(2);
    expect(notJson.stderr).toMatch(/^formbridge: .*broken\.json is not JSON: .+\n$/);
    const list = formbridge(['generate', input('list.json', [golden[0]]), '-o', join(dir, 'x.docx')]);
    expect(list.status).toBe(2);
    expect(list.stderr.trim().split('\n')).toHaveLength(1);
    const missing = formbridge(['generate', join(dir, 'nope.json')]);
    expect(missing.status).toBe(2);
    expect(missing.stderr.trim()).toBe(`formbridge: cannot read ${join(dir, 'nope.json')}: ENOENT`);
  });
});
