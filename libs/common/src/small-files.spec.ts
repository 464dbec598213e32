import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  SYNC_MAX_BYTES,
  existsSmall,
  readSmallFile,
  statSmall,
  writeSmallFile,
  writeSmallFileAtomic,
} from './small-files';

describe('small files, read and written on the main thread', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-small-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a form', 9_000],
    ['a file above the synchronous limit', SYNC_MAX_BYTES + 1],
  ])('%s comes back byte for byte', async (_, size) => {
    const bytes = Buffer.alloc(size);
    for (let i = 0; i < size; i++) bytes[i] = (i * 31) & 0xff;
    const path = join(dir, `f${size}.docx`);
    writeFileSync(path, bytes);
    const s = await statSmall(path);
    expect(s.size).toBe(size);
    expect((await readSmallFile(path, s.size)).equals(bytes)).toBe(true);
  });

  it('a missing file is the same ENOENT error as the asynchronous calls give', async () => {
    await expect(statSmall(join(dir, 'missing.docx'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(readSmallFile(join(dir, 'missing.docx'), 10)).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('a long run of synchronous calls still lets the event loop turn', async () => {
    const path = join(dir, 'small.docx');
    writeFileSync(path, 'x');
    let turned = false;
    setImmediate(() => (turned = true));
    // Awaiting settled promises alone never lets setImmediate run; about 100 ms of stat calls
    // must, several times over (every 20 ms).
    const until = performance.now() + 100;
    while (performance.now() < until) await statSmall(path);
    expect(turned).toBe(true);
  });

  it.each([
    ['a form', 9_000],
    ['a file above the synchronous limit', SYNC_MAX_BYTES + 1],
  ])('%s is written into place, its folder made, no temporary file left', async (_, size) => {
    const bytes = Buffer.alloc(size, 0xa5);
    const folder = join(dir, `new-${size}`, 'ab', 'cd');
    const path = join(folder, 'blob');
    expect(await existsSmall(path)).toBe(false);
    await writeSmallFileAtomic(path, `${path}.tmp`, bytes);
    expect(await existsSmall(path)).toBe(true);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    expect(readdirSync(folder)).toEqual(['blob']);
    // Again over the same path: replaced whole, as a rename does.
    await writeSmallFileAtomic(path, `${path}.tmp`, Buffer.from('second'));
    expect(readFileSync(path, 'utf8')).toBe('second');
  });

  it.each([
    ['a form', 9_000],
    ['a file above the synchronous limit', SYNC_MAX_BYTES + 1],
  ])('%s is written whole, and replaced whole', async (_, size) => {
    const path = join(dir, `out-${size}.docx`);
    const bytes = Buffer.alloc(size, 0x5a);
    await writeSmallFile(path, bytes);
    expect(readFileSync(path).equals(bytes)).toBe(true);
    await writeSmallFile(path, Buffer.from('shorter'));
    expect(readFileSync(path, 'utf8')).toBe('shorter');
  });

  it('a write that cannot be made is the same error as the asynchronous calls give', async () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    // A folder where a file stands: ENOTDIR, not a crash and not a silent success.
    await expect(
      writeSmallFileAtomic(join(dir, 'a-file', 'b'), join(dir, 'a-file', 'b.tmp'), Buffer.from('y')),
    ).rejects.toMatchObject({
      code: 'ENOTDIR',
    });
    expect(existsSync(join(dir, 'a-file', 'b'))).toBe(false);
  });
});
