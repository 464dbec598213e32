import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FolderBlobStore } from './blob-store';

const bytes = (text: string) => new TextEncoder().encode(text);
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('FolderBlobStore', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(join(tmpdir(), 'formbridge-blobs-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('keeps each file under the first two hex digits of its SHA-256, one folder deep, and nothing else', async () => {
    const store = new FolderBlobStore(root);
    const files = Array.from({ length: 40 }, (_, i) => bytes(`绩效目标申报表 ${i}`));
    await store.putMany(files.map((b) => ({ sha256: sha256(b), bytes: b })));
    for (const b of files)
      expect(fs.readFileSync(join(root, sha256(b).slice(0, 2), sha256(b)))).toEqual(Buffer.from(b));
    // No temporary names left, and no folder below the first level.
    const entries = fs.readdirSync(root).flatMap((d) => fs.readdirSync(join(root, d)));
    expect(entries.sort()).toEqual(files.map(sha256).sort());
    expect((await store.getMany(files.map(sha256))).map(text)).toEqual(files.map(text));
  });

  it('reads, recognises and deletes the files of a folder written with the older two-level layout', async () => {
    const old = bytes('2019年 旧版本写下的文件');
    const sha = sha256(old);
    const olderPath = join(root, sha.slice(0, 2), sha.slice(2, 4), sha);
    fs.mkdirSync(join(root, sha.slice(0, 2), sha.slice(2, 4)), { recursive: true });
    fs.writeFileSync(olderPath, old);
    const store = new FolderBlobStore(root);

    expect(text(await store.get(sha))).toBe('2019年 旧版本写下的文件');
    // Stored again (the same file imported a second time): found where it is, not copied.
    await store.putMany([{ sha256: sha, bytes: old }]);
    expect(fs.existsSync(join(root, sha.slice(0, 2), sha))).toBe(false);

    expect(await store.deleteMany([sha])).toBe(old.length);
    expect(fs.existsSync(olderPath)).toBe(false);
    await expect(store.get(sha)).rejects.toMatchObject({
      code: 'ENOENT',
      path: join(root, sha.slice(0, 2), sha),
    });
  });

  it('refuses a name that is not a SHA-256, instead of reading outside its folder', async () => {
    const store = new FolderBlobStore(root);
    await expect(store.get('../../etc/passwd')).rejects.toThrow('not a sha256');
  });
});
