import { execFile } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { PGlite, Transaction } from '@electric-sql/pglite';
import { lockDataDir } from './data-dir-lock';
import { Database, Queryable, quoteIdent } from './database';

class TransactionQueryable implements Queryable {
  constructor(private readonly tx: Transaction) {}

  async query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (await this.tx.query<T>(sql, params as unknown[])).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.tx.exec(sql);
  }
}

/**
 * PGlite keeps PostgreSQL's 128 MB of shared buffers inside its WebAssembly memory, where every
 * page once touched stays resident for the life of the process. The embedded database is one
 * clerk's filings on an office PC; its data files are read through the operating system's
 * page cache anyway (docs/bench.md).
 */
const PGLITE_CONF = ['shared_buffers=16MB'];

/**
 * A new data folder is made by initdb, which PGlite runs in a second PostgreSQL instance of its
 * own: about 750 MB resident at its peak, and most of it stays resident in the process that did
 * it. A short-lived process does it once per folder, so the long-running ones never carry it.
 */
async function initInChildProcess(dataDir: string): Promise<void> {
  const code = `require(${JSON.stringify(require.resolve('@electric-sql/pglite'))}).PGlite.create(process.argv[1], { postgresqlconf: ${JSON.stringify(PGLITE_CONF)} }).then((db) => db.close())`;
  await promisify(execFile)(process.execPath, ['-e', code, dataDir], { timeout: 10 * 60_000 });
}

/**
 * The embedded PostgreSQL: one connection inside this process, its files in a data folder. Only
 * one process may open a folder at a time, so the services and a CLI that share data need a
 * PostgreSQL server (DATABASE_URL) instead.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;

  private constructor(
    private readonly db: PGlite,
    readonly schema: string,
    private readonly unlock: () => void,
  ) {}

  /**
   * `dataDir` is a folder, or `memory://` for a throw-away database. A folder is locked to this
   * process until close (a second process is refused with DATABASE_IN_USE).
   */
  static async open(dataDir: string, schema: string): Promise<PgliteDatabase> {
    let unlock = () => undefined as void;
    if (!dataDir.startsWith('memory://')) {
      mkdirSync(dataDir, { recursive: true });
      unlock = lockDataDir(dataDir);
    }
    try {
      if (!dataDir.startsWith('memory://') && !existsSync(join(dataDir, 'PG_VERSION')))
        await initInChildProcess(dataDir);
      const db = await PGlite.create(dataDir, { postgresqlconf: PGLITE_CONF });
      await db.exec(
        `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}; SET search_path TO ${quoteIdent(schema)};`,
      );
      return new PgliteDatabase(db, schema, unlock);
    } catch (err) {
      unlock();
      throw err;
    }
  }

  async query<T extends object>(sql: string, params?: readonly unknown[]): Promise<T[]> {
    return (await this.db.query<T>(sql, params as unknown[])).rows;
  }

  async exec(sql: string): Promise<void> {
    await this.db.exec(sql);
  }

  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) => fn(new TransactionQueryable(tx)));
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
    this.unlock();
  }
}
