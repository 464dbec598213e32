import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PgliteDatabase } from '@formbridge/storage';

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
});
