import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { ErrorCode, FieldError, FormBridgeError } from '@formbridge/common';
import type { ReadOptions } from '@formbridge/word';
import type { ParseResult } from '../warnings';

/** What parses a submission: a FormParser in this thread, or a ParsePool. */
export interface SubmissionParser {
  parse(bytes: Uint8Array, options?: ReadOptions): Promise<ParseResult>;
}

/** @internal the messages between a ParsePool and its threads. */
export interface ParseRequest {
  id: number;
  bytes: ArrayBuffer;
  options?: ReadOptions;
}

/** @internal */
export interface ParseReply {
  id: number;
  result?: ParseResult;
  error?: { code?: ErrorCode; message: string; details?: { fieldErrors?: FieldError[] } };
}

interface Task {
  resolve(result: ParseResult): void;
  reject(err: Error): void;
}

interface Thread {
  worker: Worker;
  tasks: Map<number, Task>;
}

const THREAD_FILE = join(__dirname, 'parse-thread.js');

/**
 * Parses submissions on worker threads, one per core by default, so that parsing (CPU work of a
 * millisecond or more per form) never blocks the event loop that answers HTTP and feeds the
 * queue, and a process uses every core. Threads start on first use and do not keep the process
 * alive while idle; a thread that dies fails only the parses it held, and is replaced.
 */
export class ParsePool implements SubmissionParser {
  private static sharedPool?: ParsePool;
  private readonly threads: Thread[] = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;

  constructor(size = 0) {
    this.size = size > 0 ? size : availableParallelism();
  }

  /**
   * The process's pool: the HTTP parse route and the queue's parse jobs share it, so a process
   * never runs more parse threads than it has cores. The size of the first call wins.
   */
  static shared(size = 0): ParsePool {
    return (ParsePool.sharedPool ??= new ParsePool(size));
  }

  parse(bytes: Uint8Array, options?: ReadOptions): Promise<ParseResult> {
    if (this.closed) return Promise.reject(new Error('the parse pool is closed'));
    const thread = this.leastBusy();
    const id = this.nextId++;
    // A copy of just this view (a pooled Buffer shares its ArrayBuffer), moved, not cloned.
    const copy = new Uint8Array(bytes).buffer;
    return new Promise<ParseResult>((resolve, reject) => {
      thread.tasks.set(id, { resolve, reject });
      if (thread.tasks.size === 1) thread.worker.ref();
      thread.worker.postMessage({ id, bytes: copy, options } satisfies ParseRequest, [copy]);
    });
  }

  /** Stops the threads; parses still running fail. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.splice(0).map((t) => t.worker.terminate()));
  }

  private leastBusy(): Thread {
    let best: Thread | undefined;
    for (const t of this.threads) if (!best || t.tasks.size < best.tasks.size) best = t;
    if (best && (best.tasks.size === 0 || this.threads.length >= this.size)) return best;
    return this.spawn();
  }

  private spawn(): Thread {
    if (!existsSync(THREAD_FILE)) {
      throw new Error(`${THREAD_FILE} is missing: the parse pool runs from the build (npm run build)`);
    }
    const thread: Thread = { worker: new Worker(THREAD_FILE), tasks: new Map() };
    thread.worker.unref();
    thread.worker.on('message', (reply: ParseReply) => {
      const task = thread.tasks.get(reply.id);
      if (!task) return;
      thread.tasks.delete(reply.id);
      if (thread.tasks.size === 0) thread.worker.unref();
      if (reply.result) task.resolve(reply.result);
      else if (reply.error?.code) {
        task.reject(new FormBridgeError(reply.error.code, reply.error.message, reply.error.details));
      } else task.reject(new Error(reply.error?.message ?? 'the parse thread gave no result'));
    });
    const fail = (why: string) => {
      const at = this.threads.indexOf(thread);
      if (at >= 0) this.threads.splice(at, 1);
      for (const task of thread.tasks.values()) task.reject(new Error(`the parse thread stopped: ${why}`));
      thread.tasks.clear();
    };
    thread.worker.on('error', (err) => fail(err.message));
    thread.worker.on('exit', (code) => fail(`exit code ${code}`));
    this.threads.push(thread);
    return thread;
  }
}
