import { mkdirSync } from 'node:fs';
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
      const db = await PGlite.create(dataDir);
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
