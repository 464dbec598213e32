import { Pool, PoolClient, types } from 'pg';
import { Database, Queryable, quoteIdent } from './database';

const INT8 = 20;
const INT8_ARRAY = 1016;
const parseInt8 = (v: string) => Number(v);

/** bigint ids stay below 2^53, so numbers are exact and both drivers return the same type. */
const defaultParser = types.getTypeParser as unknown as (
  oid: number,
  format: string,
) => (value: string) => unknown;
const typeOverrides = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === INT8) return parseInt8;
    if (oid === INT8_ARRAY)
      return (v: string) => (defaultParser(INT8_ARRAY, 'text')(v) as string[]).map(parseInt8);
    return defaultParser(oid, format ?? 'text');
  }) as unknown as typeof types.getTypeParser,
};

class ClientQueryable implements Queryable {
  constructor(private readonly client: PoolClient) {}

  async query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (await this.client.query(sql, params as unknown[])).rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }
}

export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;

  constructor(
    url: string,
    readonly schema: string,
    poolSize: number,
  ) {
    this.pool = new Pool({
      connectionString: url,
      max: poolSize,
      types: typeOverrides,
      // Set at connection start-up, so even the first statement on a new connection sees it.
      options: `-c search_path=${quoteIdent(schema)}`,
    });
    // An idle client that loses its server emits here; without a listener the process would die.
    this.pool.on('error', () => undefined);
  }

  async query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (await this.pool.query(sql, params as unknown[])).rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.pool.query(sql);
  }

  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(new ClientQueryable(client));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.release();
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
