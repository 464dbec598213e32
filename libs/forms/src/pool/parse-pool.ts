import { join } from 'node:path';
import type { ReadOptions } from '@formbridge/word';
import type { ParseResult } from '../warnings';
import { ThreadPool } from './thread-pool';

/** What parses a submission: a FormParser in this thread, or a ParsePool. */
export interface SubmissionParser {
  parse(bytes: Uint8Array, options?: ReadOptions): Promise<ParseResult>;
}

/** @internal what a parse thread is given. */
export interface ParseInput {
  bytes: ArrayBuffer;
  options?: ReadOptions;
}

/**
 * Parses submissions on worker threads (a ThreadPool: one per core by default), so that parsing,
 * CPU work of a millisecond or more per form, never blocks the event loop that answers HTTP and
 * feeds the queue, and a process uses every core.
 */
export class ParsePool implements SubmissionParser {
  private static sharedPool?: ParsePool;
  private readonly threads: ThreadPool<ParseInput, ParseResult>;

  /** @param idleMs how long a thread beyond the first may stay idle (THREAD_IDLE_MS) */
  constructor(size = 0, idleMs?: number) {
    this.threads = new ThreadPool(join(__dirname, 'parse-thread.js'), 'parse', size, { idleMs });
  }

  /**
   * The process's pool: the HTTP parse route and the queue's parse jobs share it, so a process
   * never runs more parse threads than it has cores. The size of the first call wins.
   */
  static shared(size = 0): ParsePool {
    return (ParsePool.sharedPool ??= new ParsePool(size));
  }

  get size(): number {
    return this.threads.size;
  }

  /** Threads running now: they start on demand, and all but the first end when idle. */
  get threadCount(): number {
    return this.threads.threadCount;
  }

  /** Starts the threads now instead of on the first parse (ThreadPool.warm). */
  warm(): void {
    this.threads.warm();
  }

  parse(bytes: Uint8Array, options?: ReadOptions): Promise<ParseResult> {
    // A copy of just this view (a pooled Buffer shares its ArrayBuffer), moved, not cloned.
    const copy = new Uint8Array(bytes).buffer;
    return this.threads.run({ bytes: copy, options }, [copy]);
  }

  /** Stops the threads; parses still running fail. */
  close(): Promise<void> {
    return this.threads.close();
  }
}
