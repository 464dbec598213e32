import { deleteQueueKeys } from '@formbridge/queue';
import { Client } from 'pg';
import { parseEnv } from '@formbridge/config';
import { Storage } from '@formbridge/storage';

/**
 * The benchmark's own database on the PostgreSQL server, created fresh for each import run and
 * dropped at the end, and its own queue prefix in Redis: nothing another run or another
 * engineer's tests keep there is touched.
 */
export class BenchDatabase {
  readonly prefix = `fbbench_${Date.now().toString(36)}`;
  private run = 0;
  private storage?: Storage;

  constructor(
    private readonly serverUrl: string,
    readonly redisUrl: string,
    readonly name = 'formbridge_bench',
  ) {}

  get url(): string {
    const u = new URL(this.serverUrl);
    u.pathname = `/${this.name}`;
    return u.toString();
  }

  /** The queue prefix of the current run. */
  get queuePrefix(): string {
    return `${this.prefix}_${this.run}`;
  }

  /** The settings every process of a run gets. */
  env(): Record<string, string> {
    return {
      DATABASE_URL: this.url,
      DATABASE_SCHEMA: 'public',
      REDIS_URL: this.redisUrl,
      QUEUE_PREFIX: this.queuePrefix,
      LOG_LEVEL: 'warn',
    };
  }

  /** Drops what an earlier run left, creates the database and migrates it before any process starts. */
  async fresh(): Promise<Storage> {
    await this.close();
    this.run++;
    await this.admin(async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${this.name}`);
    });
    this.storage = await Storage.open(parseEnv(this.env()));
    return this.storage;
  }

  /** The database's size on disk (tables, indexes, TOAST, the file bytes kept in it). */
  async sizeBytes(): Promise<number> {
    return this.admin(async (c) => {
      await c.query('CHECKPOINT').catch(() => undefined);
      const rows = await c.query<{ size: string }>('SELECT pg_database_size($1) AS size', [this.name]);
      return Number(rows.rows[0].size);
    });
  }

  async recordCount(): Promise<number> {
    if (!this.storage) throw new Error('no benchmark database open');
    return this.storage.records.count({});
  }

  /** The id of the newest batch, 0 when there is none. */
  async newestBatchId(): Promise<number> {
    if (!this.storage) throw new Error('no benchmark database open');
    let id = 0;
    while (await this.storage.batches.get(id + 1)) id++;
    return id;
  }

  /** Items done in the first export batch after batch `afterId` (0 before it exists). */
  async exportedCount(afterId: number): Promise<number> {
    if (!this.storage) throw new Error('no benchmark database open');
    for (let id = afterId + 1; ; id++) {
      const batch = await this.storage.batches.get(id);
      if (!batch) return 0;
      if (batch.kind === 'export') return (await this.storage.batches.counts(id)).done;
    }
  }

  async close(): Promise<void> {
    await this.storage?.close();
    this.storage = undefined;
    if (this.run) await deleteQueueKeys(this.redisUrl, this.queuePrefix);
  }

  async drop(): Promise<void> {
    await this.close();
    await this.admin((c) => c.query(`DROP DATABASE IF EXISTS ${this.name} WITH (FORCE)`));
  }

  private async admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
    const u = new URL(this.serverUrl);
    u.pathname = '/postgres';
    const client = new Client({ connectionString: u.toString() });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }
}
