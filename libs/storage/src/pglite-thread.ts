import { readFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { nameThisThread } from '@formbridge/common';

/**
 * The embedded PostgreSQL on a thread of its own (see PgliteDatabase): PGlite is PostgreSQL
 * compiled to WebAssembly and runs on the thread that calls it, so on the process's main thread
 * it took the core that also feeds the queue and the parse threads. This thread opens the data
 * folder and runs what the main thread sends, one message per statement.
 *
 * It needs only PGlite, node and the thread-naming helper, so the same built file serves the tests.
 */

/** @internal the messages between PgliteDatabase and this thread. */
export type PgliteRequest =
  | { id: number; op: 'query'; sql: string; params?: unknown[]; tx?: number }
  | { id: number; op: 'exec'; sql: string; tx?: number }
  | { id: number; op: 'begin' }
  | { id: number; op: 'end'; tx: number; commit: boolean }
  | { id: number; op: 'close' };

/** @internal */
export interface PgliteReply {
  id: number;
  result?: unknown;
  /** An error's own fields (PostgreSQL's code, detail…): they do not survive postMessage. */
  error?: Record<string, unknown> & { message: string };
}

export interface PgliteThreadData {
  dataDir: string;
  /** Quoted already (quoteIdent). */
  schema: string;
  conf: string[];
  /** For a throw-away (memory://) database: the build's empty database to start from, not initdb. */
  template?: string;
}

/** Thrown inside a transaction's callback to roll it back when the main thread's work failed. */
class RolledBack extends Error {}

function errorFields(err: unknown): PgliteReply['error'] {
  if (!(err instanceof Error)) return { message: String(err) };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(err)) if (v === null || typeof v !== 'object') fields[k] = v;
  return { ...fields, name: err.name, message: err.message };
}

async function main(port: NonNullable<typeof parentPort>, data: PgliteThreadData): Promise<void> {
  const db = await PGlite.create(data.dataDir, {
    postgresqlconf: data.conf,
    loadDataDir: data.template ? new Blob([readFileSync(data.template)]) : undefined,
  });
  await db.exec(`CREATE SCHEMA IF NOT EXISTS ${data.schema}; SET search_path TO ${data.schema};`);

  const open = new Map<number, { tx: Transaction; end: (commit: boolean) => void }>();
  let nextTx = 1;
  const reply = (r: PgliteReply) => port.postMessage(r);

  /** The database, or the open transaction a statement belongs to. */
  const target = (tx: number | undefined): PGlite | Transaction => {
    const on = tx === undefined ? db : open.get(tx)?.tx;
    if (!on) throw new Error(`transaction ${tx} is not open`);
    return on;
  };

  const run = async (req: PgliteRequest): Promise<unknown> => {
    switch (req.op) {
      case 'query':
        return (await target(req.tx).query(req.sql, req.params)).rows;
      case 'exec':
        await target(req.tx).exec(req.sql);
        return undefined;
      case 'begin':
        // Answered once PGlite has started it (transactions take turns); ended by 'end'.
        return new Promise<number>((started, failed) => {
          const id = nextTx++;
          db.transaction(
            (tx) =>
              new Promise<void>((done, rollBack) => {
                open.set(id, { tx, end: (commit) => (commit ? done() : rollBack(new RolledBack())) });
                started(id);
              }),
          ).then(
            () => settle(id, undefined),
            (err: unknown) => (open.has(id) ? settle(id, err) : failed(err)),
          );
        });
      case 'end': {
        const t = open.get(req.tx);
        if (!t) throw new Error(`transaction ${req.tx} is not open`);
        return new Promise((done, failed) => {
          ending.set(req.tx, { done, failed });
          t.end(req.commit);
        });
      }
      case 'close':
        await db.close();
        return undefined;
    }
  };

  /** A transaction ended: its 'end' is answered with the commit's outcome. */
  const ending = new Map<number, { done: (v: unknown) => void; failed: (e: unknown) => void }>();
  const settle = (id: number, err: unknown) => {
    open.delete(id);
    const waiting = ending.get(id);
    ending.delete(id);
    if (!waiting) return;
    if (err && !(err instanceof RolledBack)) waiting.failed(err);
    else waiting.done(undefined);
  };

  port.on('message', (req: PgliteRequest) => {
    run(req).then(
      (result) => reply({ id: req.id, result }),
      (err: unknown) => reply({ id: req.id, error: errorFields(err) }),
    );
  });
  reply({ id: 0 });
}

if (parentPort) {
  const port = parentPort;
  nameThisThread('fb-pglite');
  main(port, workerData as PgliteThreadData).catch((err: unknown) =>
    port.postMessage({ id: 0, error: errorFields(err) } satisfies PgliteReply),
  );
}
