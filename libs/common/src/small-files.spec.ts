import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYNC_MAX_BYTES, readSmallFile, statSmall } from './small-files';

describe('small files, read on the main thread', () => {
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
});
