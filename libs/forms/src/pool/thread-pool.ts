import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { ResourceLimits, TransferListItem, Worker, parentPort } from 'node:worker_threads';
import { ErrorCode, FieldError, FormBridgeError } from '@formbridge/common';

/** @internal the messages between a ThreadPool and its threads. */
interface TaskRequest<In> {
  id: number;
  input: In;
}

/** @internal */
interface TaskReply<Out> {
  id: number;
  result?: Out;
  error?: { code?: ErrorCode; message: string; details?: { fieldErrors?: FieldError[] } };
}

interface Task<Out> {
  resolve(result: Out): void;
  reject(err: Error): void;
}

interface Thread<Out> {
  worker: Worker;
  tasks: Map<number, Task<Out>>;
  /** Set while the thread is idle and one of several: it ends when this fires. */
  retire?: NodeJS.Timeout;
}

/**
 * A thread beyond a pool's first that has had nothing to do for this long ends: each holds an
 * isolate of its own (tens of MB), and a process that runs both parse and generate jobs held four
 * on two cores through a whole export (406 MB in the 50,000-file soak run). The first thread
 * stays, so a parse asked over HTTP after a pause does not wait for a thread to start.
 */
export const THREAD_IDLE_MS = 10_000;

export interface ThreadPoolOptions {
  /** Given to every thread as it starts. */
  workerData?: unknown;
  /** How long a thread beyond the first may stay idle (THREAD_IDLE_MS). */
  idleMs?: number;
  /** V8 heap limits of each thread's isolate. */
  resourceLimits?: ResourceLimits;
}

/**
 * Runs one kind of CPU work (parsing, generating) on worker threads, one per core by default, so
 * that it never blocks the event loop that answers HTTP and feeds the queue, and a process uses
 * every core. Threads start on first use and do not keep the process alive while idle; all but
 * the first end after THREAD_IDLE_MS without work; a thread that dies fails only the tasks it
 * held, and is replaced. Domain errors come back with their code.
 */
export class ThreadPool<In, Out> {
  private readonly threads: Array<Thread<Out>> = [];
  private nextId = 1;
  private closed = false;
  readonly size: number;
  private readonly idleMs: number;

  /**
   * @param file the built thread script, which calls `serveTasks`
   * @param work what the threads do, for messages ("parse", "generate")
   */
  constructor(
    private readonly file: string,
    private readonly work: string,
    size = 0,
    private readonly options: ThreadPoolOptions = {},
  ) {
    this.size = size > 0 ? size : availableParallelism();
    this.idleMs = options.idleMs ?? THREAD_IDLE_MS;
  }

  /** Threads running now (they start on demand and the extra ones end when idle). */
  get threadCount(): number {
    return this.threads.length;
  }

  /** Runs one task on the least busy thread; `transfer` lists the input's buffers to move, not copy. */
  run(input: In, transfer: TransferListItem[] = []): Promise<Out> {
    if (this.closed) return Promise.reject(new Error(`the ${this.work} pool is closed`));
    return new Promise<Out>((resolve, reject) => {
      const thread = this.leastBusy();
      const id = this.nextId++;
      clearTimeout(thread.retire);
      thread.retire = undefined;
      thread.tasks.set(id, { resolve, reject });
      if (thread.tasks.size === 1) thread.worker.ref();
      try {
        thread.worker.postMessage({ id, input } satisfies TaskRequest<In>, transfer);
      } catch (err) {
        // Input that cannot be cloned (a function, a symbol) never reached the thread.
        this.settled(thread, id);
        throw err;
      }
    });
  }

  /**
   * Starts all the pool's threads now, idle, instead of on the first tasks: a command about to
   * hand over thousands of items starts them while it connects and reads its first files, on the
   * core that is idle then, instead of after (a thread takes 0.1-0.2 s to start its isolate and
   * load its code). As always, threads beyond the first end after idleMs without work. A thread
   * that cannot start is left to the first task to report.
   */
  warm(): void {
    if (this.closed) return;
    try {
      while (this.threads.length < this.size) this.retireWhenIdle(this.spawn());
    } catch {
      // run() says why (the build is missing) where someone waits for the answer.
    }
  }

  /** Stops the threads; tasks still running or waiting fail. */
  async close(): Promise<void> {
    this.closed = true;
    const threads = this.threads.splice(0);
    for (const t of threads) {
      clearTimeout(t.retire);
      this.failAll(t, `the ${this.work} pool was closed`);
    }
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private leastBusy(): Thread<Out> {
    let best: Thread<Out> | undefined;
    for (const t of this.threads) if (!best || t.tasks.size < best.tasks.size) best = t;
    if (best && (best.tasks.size === 0 || this.threads.length >= this.size)) return best;
    return this.spawn();
  }

  private spawn(): Thread<Out> {
    if (!existsSync(this.file)) {
      throw new Error(`${this.file} is missing: the ${this.work} pool runs from the build (npm run build)`);
    }
    const thread: Thread<Out> = {
      worker: new Worker(this.file, {
        workerData: this.options.workerData,
        resourceLimits: this.options.resourceLimits,
      }),
      tasks: new Map(),
    };
    thread.worker.on('message', (reply: TaskReply<Out>) => {
      const task = this.settled(thread, reply.id);
      if (!task) return;
      if (!reply.error) task.resolve(reply.result as Out);
      else if (reply.error.code) {
        task.reject(new FormBridgeError(reply.error.code, reply.error.message, reply.error.details));
      } else task.reject(new Error(reply.error.message));
    });
    const fail = (why: string) => {
      clearTimeout(thread.retire);
      const at = this.threads.indexOf(thread);
      if (at >= 0) this.threads.splice(at, 1);
      this.failAll(thread, `the ${this.work} thread stopped: ${why}`);
    };
    thread.worker.on('error', (err) => fail(err.message));
    thread.worker.on('exit', (code) => fail(`exit code ${code}`));
    // Only after the listeners: adding a 'message' listener refs a Worker again, and a thread
    // started by warm() that never got a task then held the process open for good.
    thread.worker.unref();
    this.threads.push(thread);
    return thread;
  }

  /**
   * Takes a task off its thread, which stops holding the process open once it has none, and,
   * if it is not the pool's only thread, ends after idleMs without work.
   */
  private settled(thread: Thread<Out>, id: number): Task<Out> | undefined {
    const task = thread.tasks.get(id);
    if (!task) return undefined;
    thread.tasks.delete(id);
    if (thread.tasks.size === 0) {
      thread.worker.unref();
      this.retireWhenIdle(thread);
    }
    return task;
  }

  /** Ends an idle thread after idleMs without work, unless it is the pool's only one. */
  private retireWhenIdle(thread: Thread<Out>): void {
    if (this.threads.length > 1 && !thread.retire) {
      thread.retire = setTimeout(() => this.retire(thread), this.idleMs);
      thread.retire.unref();
    }
  }

  private retire(thread: Thread<Out>): void {
    thread.retire = undefined;
    const at = this.threads.indexOf(thread);
    if (thread.tasks.size > 0 || at < 0 || this.threads.length <= 1) return;
    this.threads.splice(at, 1);
    void thread.worker.terminate();
  }

  private failAll(thread: Thread<Out>, why: string): void {
    for (const task of thread.tasks.values()) task.reject(new Error(why));
    thread.tasks.clear();
  }
}

/**
 * The thread side of a ThreadPool: runs `work` on every task and answers with its result (moving
 * the buffers `transfer` lists) or its error, a domain error with its code and details.
 */
export function serveTasks<In, Out>(
  work: (input: In) => Out | Promise<Out>,
  transfer: (result: Out) => TransferListItem[] = () => [],
): void {
  const port = parentPort;
  if (!port) throw new Error('a pool thread runs only as a worker thread of a ThreadPool');
  const answer = async ({ id, input }: TaskRequest<In>): Promise<void> => {
    try {
      const result = await work(input);
      port.postMessage({ id, result } satisfies TaskReply<Out>, transfer(result));
    } catch (err) {
      const error =
        err instanceof FormBridgeError
          ? { code: err.code, message: err.message, details: err.details }
          : { message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
      port.postMessage({ id, error } satisfies TaskReply<Out>);
    }
  };
  port.on('message', (request: TaskRequest<In>) => void answer(request));
}
