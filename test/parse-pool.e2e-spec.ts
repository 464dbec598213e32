import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ErrorCode } from '@formbridge/common';
import type { ParsePool as ParsePoolType } from '@formbridge/forms';
import { FIXTURES, canonical, goldenRecords } from './support/golden';

// The pool starts its threads from the build (a thread runs plain JavaScript), so this suite uses
// the built library, as the services and the CLI do; test/global-setup.js builds it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { ParsePool } = require('../dist/libs/forms/src/pool/parse-pool') as {
  ParsePool: typeof ParsePoolType;
};

describe('ParsePool (parsing on worker threads)', () => {
  const golden = goldenRecords();
  let pool: ParsePoolType;
  beforeAll(() => {
    pool = new ParsePool(2);
  });
  afterAll(() => pool.close());

  it('parses many submissions at once on its threads to the golden records, each to its own', async () => {
    const files = ['word', 'wps', 'libreoffice'].flatMap((producer) =>
      [1, 2, 3, 4].map((n) => ({
        n,
        bytes: readFileSync(join(FIXTURES, 'legacy', producer, `seed-${n}.docx`)),
      })),
    );
    const results = await Promise.all(files.map((f) => pool.parse(f.bytes)));
    results.forEach((result, i) => {
      expect(result.records.map(canonical)).toEqual([canonical(golden[files[i].n - 1])]);
    });
  });

  it('passes a part of a larger buffer without its neighbours', async () => {
    const bytes = readFileSync(join(FIXTURES, 'legacy', 'word', 'seed-1.docx'));
    const padded = Buffer.concat([Buffer.from('junk before'), bytes, Buffer.from('junk after')]);
    const view = padded.subarray(11, 11 + bytes.length);
    expect((await pool.parse(view)).records.map(canonical)).toEqual([canonical(golden[0])]);
  });

  it('gives back the domain error with its code for a file that cannot be read', async () => {
    const bomb = readFileSync(join(FIXTURES, 'bad', 'zip-bomb.docx'));
    // The built library's own FormBridgeError class, rebuilt from what the thread sent.
    await expect(pool.parse(bomb)).rejects.toMatchObject({
      name: 'FormBridgeError',
      code: ErrorCode.InflatedTooLarge,
      message: expect.stringContaining('decompression bomb'),
    });
    await expect(pool.parse(new Uint8Array(0))).rejects.toMatchObject({ code: ErrorCode.EmptyFile });
  });

  it('applies the read options it is given (the size limit) inside the thread', async () => {
    const bytes = readFileSync(join(FIXTURES, 'legacy', 'word', 'seed-1.docx'));
    await expect(pool.parse(bytes, { maxBytes: 100 })).rejects.toMatchObject({ code: ErrorCode.TooLarge });
  });

  it('ends the threads beyond its first after they were idle, and starts them again for work', async () => {
    const bytes = readFileSync(join(FIXTURES, 'legacy', 'word', 'seed-1.docx'));
    const idle = new ParsePool(2, 300);
    try {
      await Promise.all(Array.from({ length: 6 }, () => idle.parse(bytes)));
      expect(idle.threadCount).toBe(2);
      await new Promise((r) => setTimeout(r, 1000));
      // One thread stays for the next request; the other's isolate is gone.
      expect(idle.threadCount).toBe(1);
      const again = Array.from({ length: 6 }, () => idle.parse(bytes));
      // More work than one thread: the second starts again at once.
      expect(idle.threadCount).toBe(2);
      const results = await Promise.all(again);
      expect(results.map((r) => r.records.map(canonical))).toEqual(Array(6).fill([canonical(golden[0])]));
    } finally {
      await idle.close();
    }
  });

  it('starts all its threads at once when warmed, and ends the extra ones if no work comes', async () => {
    const bytes = readFileSync(join(FIXTURES, 'legacy', 'word', 'seed-1.docx'));
    const warmed = new ParsePool(2, 300);
    try {
      expect(warmed.threadCount).toBe(0);
      warmed.warm();
      expect(warmed.threadCount).toBe(2);
      warmed.warm();
      expect(warmed.threadCount).toBe(2);
      await new Promise((r) => setTimeout(r, 1000));
      // Nothing came: the second thread ended as an idle one does, the first stays.
      expect(warmed.threadCount).toBe(1);
      warmed.warm();
      expect(warmed.threadCount).toBe(2);
      // The warmed threads take the work; none is started for it.
      const results = await Promise.all(Array.from({ length: 4 }, () => warmed.parse(bytes)));
      expect(warmed.threadCount).toBe(2);
      expect(results.map((r) => r.records.map(canonical))).toEqual(Array(4).fill([canonical(golden[0])]));
    } finally {
      await warmed.close();
    }
  });

  it('never holds its process open: warmed and never used, or used and idle', () => {
    const pool = join(__dirname, '..', 'dist', 'libs', 'forms', 'src', 'pool', 'parse-pool.js');
    const seed = join(FIXTURES, 'legacy', 'word', 'seed-1.docx');
    for (const work of ['', `return p.parse(require('fs').readFileSync(${JSON.stringify(seed)}))`]) {
      const script = `require('reflect-metadata'); const { ParsePool } = require(${JSON.stringify(pool)});
        const p = new ParsePool(2); p.warm(); Promise.resolve().then(() => { ${work} }).then(() => console.log('done'));`;
      const run = spawnSync(process.execPath, ['-e', script], {
        cwd: join(__dirname, '..'),
        encoding: 'utf8',
        timeout: 20_000,
      });
      expect(run.error).toBeUndefined();
      expect(run.stdout.trim()).toBe('done');
      expect(run.status).toBe(0);
    }
  });

  it('refuses work once closed, and starts no thread', async () => {
    const closed = new ParsePool(1);
    await closed.close();
    closed.warm();
    expect(closed.threadCount).toBe(0);
    await expect(closed.parse(new Uint8Array(1))).rejects.toThrow('closed');
  });
});
