import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ErrorCode } from '@formbridge/common';
import { parseEnv } from '@formbridge/config';
import { PgliteDatabase, Storage, initDataDir } from '@formbridge/storage';
import { pgliteTemplate } from '../libs/storage/src/pglite-template';

/** PostgreSQL's cluster state in a data folder's pg_control (DBState; 1 is shut down cleanly). */
const DB_SHUT_DOWN = 1;
function clusterState(folder: string): number {
  // ControlFileData: system_identifier (8 bytes), pg_control_version and catalog_version_no (4 each),
  // then the state.
  return readFileSync(join(folder, 'global', 'pg_control')).readInt32LE(16);
}

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

  it('opened early, is locked at once and taken by the next open of it; shut down cleanly when nothing takes it', async () => {
    const folder = join(dir, 'early');
    const lock = join(folder, 'formbridge.lock');
    PgliteDatabase.openEarly(folder, 'fb');
    // Locked before anything else may touch the folder.
    expect((JSON.parse(readFileSync(lock, 'utf8')) as { pid: number }).pid).toBe(process.pid);
    const db = await PgliteDatabase.open(folder, 'fb');
    await db.exec('CREATE TABLE early (id int)');
    // Taken: no second database was opened beside it, so there is nothing left to close, and the
    // folder stays locked by the one that was taken.
    await PgliteDatabase.closeEarly();
    expect(existsSync(lock)).toBe(true);
    expect(await db.query('SELECT count(*)::int AS n FROM early')).toEqual([{ n: 0 }]);
    await db.close();
    expect(clusterState(folder)).toBe(DB_SHUT_DOWN);
    expect(existsSync(lock)).toBe(false);

    // Opened early and never taken (the command stopped first): shut down, and unlocked.
    PgliteDatabase.openEarly(folder, 'fb');
    await PgliteDatabase.closeEarly();
    expect(clusterState(folder)).toBe(DB_SHUT_DOWN);
    expect(existsSync(lock)).toBe(false);
    const again = await PgliteDatabase.open(folder, 'fb');
    expect(await again.query('SELECT count(*)::int AS n FROM early')).toEqual([{ n: 0 }]);
    await again.close();
  });

  it("opened early while another process holds the folder, fails where it is taken, with the same refusal, and leaves the other's lock", async () => {
    const folder = join(dir, 'held');
    const lock = join(folder, 'formbridge.lock');
    mkdirSync(folder, { recursive: true });
    // The process that started this one is alive on this host: its lock holds.
    const other = { pid: process.ppid, host: hostname(), since: new Date().toISOString() };
    writeFileSync(lock, JSON.stringify(other));
    PgliteDatabase.openEarly(folder, 'fb');
    await expect(PgliteDatabase.open(folder, 'fb')).rejects.toMatchObject({ code: ErrorCode.DatabaseInUse });
    await PgliteDatabase.closeEarly();
    expect(JSON.parse(readFileSync(lock, 'utf8'))).toEqual(other);
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

  it("starts a new folder from the build's template, and by initdb where there is none", async () => {
    // The build made the template for the installed PGlite (npm run build).
    expect(pgliteTemplate()).toMatch(/pglite-template-[0-9.]+\.tar\.gz$/);
    for (const template of [pgliteTemplate(), null]) {
      const folder = join(dir, template ? 'from-template' : 'by-initdb');
      mkdirSync(folder);
      await initDataDir(folder, template);
      expect(readFileSync(join(folder, 'PG_VERSION'), 'utf8').trim()).toMatch(/^\d+$/);
      expect(existsSync(join(folder, '.new-database'))).toBe(false);
      const db = await PgliteDatabase.open(folder, 'fb');
      await db.exec('CREATE TABLE t (v text)');
      await db.query('INSERT INTO t VALUES ($1)', ['（全角）']);
      expect(await db.query('SELECT v FROM t')).toEqual([{ v: '（全角）' }]);
      expect(await db.query('SHOW shared_buffers')).toEqual([{ shared_buffers: '16MB' }]);
      await db.close();
    }
  }, 120_000);

  it('makes again what a first start cut short left, and keeps what else the folder holds', async () => {
    const folder = join(dir, 'cut-short');
    // A first start that died before PG_VERSION: half a cluster, a staging folder, and a file of
    // the clerk's own beside them.
    mkdirSync(join(folder, 'base', '1'), { recursive: true });
    writeFileSync(join(folder, 'base', '1', 'stray'), 'half written');
    mkdirSync(join(folder, '.new-database', 'global'), { recursive: true });
    writeFileSync(join(folder, '说明.txt'), '不要删除');
    const db = await PgliteDatabase.open(folder, 'fb');
    expect(await db.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    await db.close();
    expect(existsSync(join(folder, 'base', '1', 'stray'))).toBe(false);
    expect(existsSync(join(folder, '.new-database'))).toBe(false);
    expect(readFileSync(join(folder, '说明.txt'), 'utf8')).toBe('不要删除');
  }, 120_000);

  it('keeps file bytes in a throw-away database in that database', async () => {
    const storage = await Storage.open(parseEnv({ DATABASE_URL: '', PGLITE_DIR: 'memory://' }));
    expect(storage.blobs.location).toBe('database');
    await storage.close();
  });
});
