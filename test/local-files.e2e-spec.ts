import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FormParser } from '@formbridge/forms';
import { ImportService, LocalFiles, ParseSubmissionJob, type JobContext } from '@formbridge/queue';
import { Client } from 'pg';
import { ROOT } from './support/cli';
import { TEST_DATABASE_URL, TestServers, testEnv } from './support/bulk-env';

const context: JobContext = {
  attempt: 1,
  maxAttempts: 1,
  isLastAttempt: true,
  failedChildren: async () => [],
};

const word = (name: string) => readFileSync(join(ROOT, 'fixtures/legacy/word', name));

/**
 * The CLI's import hands the files it just stored to its own parse workers (LocalFiles) instead of
 * having them read the bytes back from PostgreSQL; anything not handed over is still read from
 * storage. To tell the two apart, the stored bytes are overwritten with a file that is not Word.
 */
describe('files handed from an import to the same process parse workers (PostgreSQL + Redis)', () => {
  const env = testEnv();
  const servers = new TestServers(env);
  beforeAll(() => servers.open());
  afterAll(() => servers.close());

  /** Imports the files (no workers run), then spoils their stored bytes. */
  async function importAndSpoil(
    local: LocalFiles,
    names: string[],
  ): Promise<{ batchId: number; itemIds: number[] }> {
    const imports = new ImportService(
      servers.storage,
      servers.queue,
      { maxFileBytes: 1 << 22 },
      undefined,
      local,
    );
    const batchId = await imports.run(names.map((name) => ({ name, bytes: word(name) })));
    const items = await servers.storage.batches.items(batchId, 0, 100);
    const db = new Client({ connectionString: TEST_DATABASE_URL });
    await db.connect();
    try {
      await db.query(
        `UPDATE "${env.DATABASE_SCHEMA}".blobs SET content = 'not a Word file'::bytea
                      WHERE sha256 = ANY($1::text[])`,
        [items.map((i) => i.sha256)],
      );
    } finally {
      await db.end();
    }
    return { batchId, itemIds: items.map((i) => i.id) };
  }

  it('parses the bytes the import handed over, not the ones in storage', async () => {
    const local = new LocalFiles();
    local.enable();
    const { itemIds } = await importAndSpoil(local, ['seed-1.docx', 'seed-2.docx']);
    expect(local.size).toBe(2);
    const job = new ParseSubmissionJob(servers.storage, new FormParser(), {}, local);
    await expect(job.handle({ batchId: 0, itemIds }, context)).resolves.toEqual({
      records: 2,
      newRecords: 2,
    });
    // Taken once: a retry would read storage.
    expect(local.size).toBe(0);
  });

  it('reads storage for files it was not handed (another process, or workers not started)', async () => {
    const local = new LocalFiles(); // not enabled: this process runs no parse workers
    const { batchId, itemIds } = await importAndSpoil(local, ['seed-3.docx', 'seed-4.docx']);
    expect(local.size).toBe(0);
    const job = new ParseSubmissionJob(servers.storage, new FormParser(), {}, local);
    await expect(job.handle({ batchId: 0, itemIds }, context)).rejects.toThrow();
    const items = await servers.storage.batches.items(batchId, 0, 10);
    expect(items.map((i) => [i.status, i.errorCode])).toEqual([
      ['failed', 'NOT_WORD'],
      ['failed', 'NOT_WORD'],
    ]);
  });
});

describe('LocalFiles', () => {
  const bytes = (n: number) => new Uint8Array(n);

  it('keeps nothing until enabled, and gives each file once', () => {
    const local = new LocalFiles(100);
    local.put(1, bytes(10));
    expect(local.take(1)).toBeUndefined();
    local.enable();
    local.put(1, bytes(10));
    expect(local.take(1)).toHaveLength(10);
    expect(local.take(1)).toBeUndefined();
  });

  it('drops the oldest files past its size, and never keeps one larger than it', () => {
    const local = new LocalFiles(100);
    local.enable();
    for (let id = 1; id <= 5; id++) local.put(id, bytes(30));
    expect(local.size).toBe(3);
    expect(local.take(1)).toBeUndefined();
    expect(local.take(2)).toBeUndefined();
    expect(local.take(5)).toHaveLength(30);
    local.put(9, bytes(101));
    expect(local.take(9)).toBeUndefined();
  });
});
