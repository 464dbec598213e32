import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { lockDataDir } from './data-dir-lock';
import { Database, PreparedStatement, Queryable, quoteIdent, sqlText } from './database';
import { PGLITE_CONF, pgliteTemplate } from './pglite-template';
import type { PgliteReply, PgliteRequest, PgliteThreadData } from './pglite-thread';

/** Distributes a request to the thread without its id: the thread's side adds it. */
type Request = PgliteRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

/**
 * The thread script, built: beside this file in the build, or the build's copy when this file
 * runs from source (the tests). It needs nothing but PGlite, so either is the same code.
 */
function threadScript(): string {
  const beside = join(__dirname, 'pglite-thread.js');
  if (existsSync(beside)) return beside;
  const built = join(__dirname, '..', '..', '..', 'dist', 'libs', 'storage', 'src', 'pglite-thread.js');
  if (existsSync(built)) return built;
  throw new Error(`${beside} is missing: the embedded database runs from the build (npm run build)`);
}

/** An error from the thread, with the fields it carried (PostgreSQL's code, detail…). */
function threadError(error: NonNullable<PgliteReply['error']>): Error {
  return Object.assign(new Error(error.message), error);
}

class TransactionQueryable implements Queryable {
  constructor(
    private readonly db: PgliteDatabase,
    private readonly tx: number,
  ) {}

  query<T extends object>(sql: string | PreparedStatement, params?: readonly unknown[]): Promise<T[]> {
    return this.db.call({
      op: 'query',
      sql: sqlText(sql),
      params: params as unknown[],
      tx: this.tx,
    }) as Promise<T[]>;
  }

  async exec(sql: string): Promise<void> {
    await this.db.call({ op: 'exec', sql, tx: this.tx });
  }
}

/** The database openEarly began opening, until an open() of it takes it. */
let early: { dataDir: string; schema: string; opening: Promise<PgliteDatabase> } | undefined;

/** Where a new database is made inside its folder before it takes the folder's place. */
const STAGING = '.new-database';

/**
 * Makes the PostgreSQL cluster of a new data folder, in a short-lived process: from the build's
 * template (pglite-template.ts; about 1 s and 250 MB resident), or by initdb where the build has
 * none (3–5 s and about 730 MB, which would otherwise stay resident in the process that did it).
 * The cluster is made in a folder of its own inside `dataDir` and then moved up, PG_VERSION last,
 * so a first start cut short leaves a folder that the next start makes again, not half a database.
 *
 * @internal `template` only for the tests: the build's by default, `null` for initdb.
 */
export async function initDataDir(dataDir: string, template = pgliteTemplate() ?? null): Promise<void> {
  const staging = join(dataDir, STAGING);
  rmSync(staging, { recursive: true, force: true });
  const load = template
    ? `, loadDataDir: new Blob([require('node:fs').readFileSync(${JSON.stringify(template)})])`
    : '';
  const code = `require(${JSON.stringify(require.resolve('@electric-sql/pglite'))}).PGlite.create(process.argv[1], { postgresqlconf: ${JSON.stringify(PGLITE_CONF)}${load} }).then((db) => db.close())`;
  // WebAssembly's baseline compiler only: the process runs a few statements and ends, and
  // optimising PostgreSQL's code would cost it more time and memory than it saves (docs/bench.md).
  await promisify(execFile)(process.execPath, ['--liftoff-only', '-e', code, staging], {
    timeout: 10 * 60_000,
  });
  const entries = readdirSync(staging).filter((e) => e !== 'PG_VERSION');
  for (const entry of [...entries, 'PG_VERSION']) {
    // What an earlier start cut short left of PostgreSQL's own files; nothing else is touched.
    rmSync(join(dataDir, entry), { recursive: true, force: true });
    renameSync(join(staging, entry), join(dataDir, entry));
  }
  rmSync(staging, { recursive: true, force: true });
}

/**
 * The embedded PostgreSQL: one connection inside this process, its files in a data folder. Only
 * one process may open a folder at a time, so the services and a CLI that share data need a
 * PostgreSQL server (DATABASE_URL) instead.
 *
 * PGlite runs on a thread of its own (pglite-thread.ts), one message per statement: on the main
 * thread it took ~2.5 ms of it per imported file, twice the parse, on the core that also feeds
 * the queue and the parse threads (docs/bench.md). Rows, parameters and errors (with
 * PostgreSQL's code and detail) come back as they would from PGlite itself.
 */
export class PgliteDatabase implements Database {
  readonly kind = 'pglite' as const;
  private readonly pending = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  private nextId = 1;
  private stopped?: string;

  private constructor(
    private readonly worker: Worker,
    readonly schema: string,
    private readonly unlock: () => void,
  ) {
    worker.on('message', (reply: PgliteReply) => {
      const call = this.pending.get(reply.id);
      if (!call) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.error) call.reject(threadError(reply.error));
      else call.resolve(reply.result);
    });
    const stop = (why: string) => {
      this.stopped ??= why;
      for (const call of this.pending.values())
        call.reject(new Error(`the embedded database stopped: ${why}`));
      this.pending.clear();
    };
    worker.on('error', (err) => stop(err.message));
    worker.on('exit', (code) => stop(`its thread exited (code ${code})`));
  }

  /**
   * `dataDir` is a folder, or `memory://` for a throw-away database. A folder is locked to this
   * process until close (a second process is refused with DATABASE_IN_USE). The database that
   * openEarly began opening, if it is this one, is taken as it is (opened, or still opening).
   */
  static async open(dataDir: string, schema: string): Promise<PgliteDatabase> {
    if (early?.dataDir === dataDir) {
      if (early.schema === schema) {
        const { opening } = early;
        early = undefined;
        return opening;
      }
      await PgliteDatabase.closeEarly(); // the same folder under another schema: opened anew
    }
    return PgliteDatabase.openNow(dataDir, schema);
  }

  /**
   * Begins opening the embedded database before the program has loaded the rest of its code, for a
   * command that will open it first thing (`formbridge import` and `export`). Opening PGlite is
   * about a second of its thread and of V8 compiling PostgreSQL's WebAssembly, which otherwise
   * began only once the command had loaded its half second of code on one core, the other idle
   * (docs/bench.md, "Fifteenth look"). The next open() of the same folder and schema takes it, and
   * an open that failed fails there. Nothing else may touch the folder meanwhile: it is locked
   * at once, as open() locks it.
   */
  static openEarly(dataDir: string, schema: string): void {
    if (early) return;
    const opening = PgliteDatabase.openNow(dataDir, schema);
    opening.catch(() => undefined); // said by the open() that takes it
    early = { dataDir, schema, opening };
  }

  /**
   * Closes the database openEarly began opening if no open() took it (the command stopped before
   * it opened storage: a usage error, Redis unreachable), so that it is shut down cleanly and its
   * folder unlocked before the process exits.
   */
  static async closeEarly(): Promise<void> {
    const untaken = early;
    early = undefined;
    const db = await untaken?.opening.catch(() => undefined);
    await db?.close();
  }

  private static async openNow(dataDir: string, schema: string): Promise<PgliteDatabase> {
    let unlock = () => undefined as void;
    const inMemory = dataDir.startsWith('memory://');
    if (!inMemory) {
      mkdirSync(dataDir, { recursive: true });
      unlock = lockDataDir(dataDir);
    }
    let worker: Worker | undefined;
    try {
      if (!inMemory && !existsSync(join(dataDir, 'PG_VERSION'))) await initDataDir(dataDir);
      worker = new Worker(threadScript(), {
        workerData: {
          dataDir,
          schema: quoteIdent(schema),
          conf: PGLITE_CONF,
          template: inMemory ? pgliteTemplate() : undefined,
        } satisfies PgliteThreadData,
      });
      const ready = new Promise<void>((resolve, reject) => {
        const w = worker as Worker;
        const failed = (err: Error) => reject(err);
        w.once('error', failed);
        w.once('exit', (code) => reject(new Error(`the embedded database's thread exited (code ${code})`)));
        w.once('message', (reply: PgliteReply) => {
          w.off('error', failed);
          w.removeAllListeners('exit');
          if (reply.error) reject(threadError(reply.error));
          else resolve();
        });
      });
      await ready;
      worker.unref();
      return new PgliteDatabase(worker, schema, unlock);
    } catch (err) {
      await worker?.terminate();
      unlock();
      throw err;
    }
  }

  /** @internal one statement (or transaction step) on the database's thread. */
  call(request: Request): Promise<unknown> {
    if (this.stopped) return Promise.reject(new Error(`the embedded database stopped: ${this.stopped}`));
    return new Promise((resolve, reject) => {
      const id = this.nextId++;
      this.pending.set(id, { resolve, reject });
      if (this.pending.size === 1) this.worker.ref();
      try {
        this.worker.postMessage({ ...request, id } as PgliteRequest);
      } catch (err) {
        // A parameter that cannot be cloned (a function) never reached the thread.
        this.pending.delete(id);
        if (this.pending.size === 0) this.worker.unref();
        reject(err as Error);
      }
    });
  }

  query<T extends object>(sql: string | PreparedStatement, params?: readonly unknown[]): Promise<T[]> {
    return this.call({ op: 'query', sql: sqlText(sql), params: params as unknown[] }) as Promise<T[]>;
  }

  async exec(sql: string): Promise<void> {
    await this.call({ op: 'exec', sql });
  }

  /** PGlite's transactions take turns; this one starts once the thread says it has begun. */
  async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
    const tx = (await this.call({ op: 'begin' })) as number;
    let result: T;
    try {
      result = await fn(new TransactionQueryable(this, tx));
    } catch (err) {
      await this.call({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw err;
    }
    await this.call({ op: 'end', tx, commit: true });
    return result;
  }

  async close(): Promise<void> {
    if (!this.stopped) {
      await this.call({ op: 'close' }).catch(() => undefined);
      this.stopped = 'it was closed';
      await this.worker.terminate();
    }
    this.unlock();
  }
}
