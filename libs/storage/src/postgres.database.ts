import { setTimeout as sleep } from 'node:timers/promises';
import { Pool, PoolClient, QueryConfig, types } from 'pg';
import { ErrorCode, FormBridgeError, OutageMonitor, isConnectionError } from '@formbridge/common';
import { Database, PreparedStatement, Queryable, quoteIdent } from './database';

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

/**
 * pg prepares a query that has a name once per connection and runs it by that name after;
 * `named` false sends every statement unnamed (DATABASE_PREPARED_STATEMENTS).
 */
function queryConfig(
  sql: string | PreparedStatement,
  params: readonly unknown[] | undefined,
  named: boolean,
): QueryConfig {
  const values = params as unknown[] | undefined;
  if (typeof sql === 'string') return { text: sql, values };
  return named ? { name: sql.name, text: sql.text, values } : { text: sql.text, values };
}

class ClientQueryable implements Queryable {
  constructor(
    private readonly client: PoolClient,
    private readonly named: boolean,
  ) {}

  async query<T extends object>(sql: string | PreparedStatement, params?: readonly unknown[]): Promise<T[]> {
    return (await this.client.query(queryConfig(sql, params, this.named))).rows as T[];
  }

  async exec(sql: string): Promise<void> {
    await this.client.query(sql);
  }
}

export interface PostgresOptions {
  poolSize: number;
  /** A connection attempt that takes longer fails (and counts as the server being down). */
  connectTimeoutMs?: number;
  /** Set: statements that meet a lost server wait for it (bounded by the monitor) and run again. */
  outage?: OutageMonitor;
  /** Prepared statements kept per connection under their names (default true). */
  preparedStatements?: boolean;
}

/** `host:port/db` of a URL, for messages (never the password). */
export function describeDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 5432}${u.pathname}`;
  } catch {
    return 'DATABASE_URL';
  }
}

export class PostgresDatabase implements Database {
  readonly kind = 'postgres' as const;
  private readonly pool: Pool;
  private closing = false;
  /** Whether prepared statements go by their names (PostgresOptions.preparedStatements). */
  private readonly named: boolean;

  constructor(
    private readonly url: string,
    readonly schema: string,
    private readonly options: PostgresOptions,
  ) {
    this.named = options.preparedStatements ?? true;
    this.pool = new Pool({
      connectionString: url,
      max: options.poolSize,
      connectionTimeoutMillis: options.connectTimeoutMs,
      types: typeOverrides,
      // Set at connection start-up, so even the first statement on a new connection sees it.
      options: `-c search_path=${quoteIdent(schema)}`,
    });
    // An idle client that loses its server emits here; without a listener the process would die.
    this.pool.on('error', () => undefined);
  }

  /** Fails fast, with a message that names the server, when it does not answer now. */
  async ping(): Promise<void> {
    try {
      await this.pool.query('SELECT 1');
    } catch (err) {
      if (!isConnectionError(err)) throw err;
      throw new FormBridgeError(
        ErrorCode.Unavailable,
        `PostgreSQL at ${describeDatabaseUrl(this.url)} is not answering (${(err as Error).message.split('\n')[0] || (err as { code?: string }).code}): start it, or check DATABASE_URL`,
      );
    }
  }

  /**
   * Runs `op`; while the server is unreachable (restarting, network gone) waits and runs it again,
   * saying so once, until the outage outlasts OUTAGE_TIMEOUT_MS. A statement cut off by a lost
   * connection was rolled back by the server, so running it again is safe.
   */
  private async retrying<T>(op: () => Promise<T>): Promise<T> {
    const outage = this.options.outage;
    for (let delay = 200; ; delay = Math.min(delay * 2, 2000)) {
      try {
        const result = await op();
        outage?.restored();
        return result;
      } catch (err) {
        if (!outage || this.closing || !isConnectionError(err)) throw err;
        outage.lost(err);
        if (outage.timedOut) throw outage.gaveUp();
        await sleep(delay);
      }
    }
  }

  query<T extends object>(sql: string | PreparedStatement, params?: readonly unknown[]): Promise<T[]> {
    const config = queryConfig(sql, params, this.named);
    return this.retrying(async () => (await this.pool.query(config)).rows as T[]);
  }

  async exec(sql: string): Promise<void> {
    await this.retrying(() => this.pool.query(sql));
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.retrying(() => this.transactionOnce(fn));
  }

  private async transactionOnce<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    // A checked-out client whose server goes away emits 'error' between statements; the failed
    // statement reports it, the event must not kill the process.
    const ignore = () => undefined;
    client.on('error', ignore);
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      const result = await fn(new ClientQueryable(client, this.named));
      await client.query('COMMIT');
      return result;
    } catch (err) {
      if (isConnectionError(err)) broken = err as Error;
      else await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    } finally {
      client.off('error', ignore);
      // A client whose connection broke is destroyed, not handed to the next caller.
      client.release(broken);
    }
  }

  async close(): Promise<void> {
    this.closing = true;
    await this.pool.end();
  }
}
