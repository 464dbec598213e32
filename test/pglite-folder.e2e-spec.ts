import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseEnv } from '@formbridge/config';
import { PgliteDatabase, Storage } from '@formbridge/storage';

describe('the embedded database in a folder', () => {
  const dir = mkdtempSync(join(tmpdir(), 'formbridge-pglite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is created on first open, keeps its data across opens, and runs with small shared buffers', async () => {
    const folder = join(dir, 'data');
    const first = await PgliteDatabase.open(folder, 'fb');
    expect(existsSync(join(folder, 'PG_VERSION'))).toBe(true);
    await first.exec('CREATE TABLE note (id int PRIMARY KEY, body text)');
    await first.query('INSERT INTO note VALUES ($1, $2)', [1, '绩效目标申报表']);
    await first.close();

    const again = await PgliteDatabase.open(folder, 'fb');
    expect(await again.query('SELECT body FROM note')).toEqual([{ body: '绩效目标申报表' }]);
    expect(await again.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
    await again.close();
  });

  it('keeps file bytes in a folder inside it, and moves there the bytes an older version kept in the database', async () => {
    const folder = join(dir, 'with-files');
    const config = parseEnv({ DATABASE_URL: '', PGLITE_DIR: folder });
    const bytes = (text: string) => new TextEncoder().encode(text);
    const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
    const fileOf = (sha: string) => join(folder, 'formbridge-blobs', sha.slice(0, 2), sha);
    const blobRows = async (s: Storage) =>
      (await s.db.query<{ n: number }>('SELECT count(*)::int AS n FROM blobs'))[0].n;

    const first = await Storage.open(config);
    expect(first.blobs.location).toBe('folder');
    const stored = bytes('新提交的文件');
    await first.blobs.putMany([{ sha256: sha256(stored), bytes: stored }]);
    expect(readFileSync(fileOf(sha256(stored)), 'utf8')).toBe('新提交的文件');
    expect(await blobRows(first)).toBe(0);
    // What a version that kept bytes in the embedded database left behind.
    const legacy = Array.from({ length: 450 }, (_, i) => bytes(`旧版本的文件 ${i}`));
    for (const b of legacy)
      await first.db.query('INSERT INTO blobs (sha256, content) VALUES ($1, $2)', [sha256(b), b]);
    await first.close();

    const again = await Storage.open(config);
    expect(await blobRows(again)).toBe(0);
    const back = await again.blobs.getMany(legacy.map(sha256));
    expect(back.map((b) => new TextDecoder().decode(b))).toEqual(
      legacy.map((b) => new TextDecoder().decode(b)),
    );
    expect(existsSync(fileOf(sha256(legacy[449])))).toBe(true);
    await again.close();
  }, 120_000);

  it('keeps file bytes in a throw-away database in that database', async () => {
    const storage = await Storage.open(parseEnv({ DATABASE_URL: '', PGLITE_DIR: 'memory://' }));
    expect(storage.blobs.location).toBe('database');
    await storage.close();
  });
});
