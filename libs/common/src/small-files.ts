import { readFileSync, statSync, type Stats } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';

/**
 * Reading the many small files of an import (filings of 5-100 KB) on the main thread,
 * synchronously. An awaited fs/promises call goes through libuv's thread pool once per step
 * (stat, open, fstat, read, close), and each step costs both the main thread and a pool thread a
 * wake-up: for 10,000 files of 8 KB on this machine, stat + readFile took 1.8-1.9 s of CPU against
 * 0.12-0.15 s for statSync + readFileSync, and `formbridge import` of them on PostgreSQL went from
 * 9.5 to 8.7 s (docs/bench.md). The import reads its files one at a time anyway, so nothing is lost
 * by not overlapping them; what must not happen is the event loop stalling on a slow disk or share,
 * so files above SYNC_MAX_BYTES go the asynchronous way, and after every YIELD_AFTER_MS spent in
 * synchronous calls the next one first lets the loop run (timers, Redis and PostgreSQL replies,
 * the progress bar).
 *
 * Writing stays asynchronous: creating a file costs the kernel far more than reading one (an
 * export's 10,000 new files took 3-5 s of system time), and on the main thread that time is
 * taken from the work the export waits for; writeFileSync there saved CPU but no wall time.
 */
export const SYNC_MAX_BYTES = 1 << 20;
const YIELD_AFTER_MS = 20;

/** Milliseconds spent in synchronous calls since the event loop last ran. */
let busyMs = 0;

/** Lets the event loop run when the synchronous calls since the last turn took long enough. */
async function fairTurn(): Promise<void> {
  if (busyMs >= YIELD_AFTER_MS) {
    busyMs = 0;
    await yieldToLoop();
  }
}

function timed<T>(fn: () => T): T {
  const started = performance.now();
  try {
    return fn();
  } finally {
    busyMs += performance.now() - started;
  }
}

/** stat(), synchronous when it can be (a stat is one system call and never moves file data). */
export async function statSmall(path: string): Promise<Stats> {
  await fairTurn();
  return timed(() => statSync(path));
}

/** The bytes of a file whose size a stat just gave. */
export async function readSmallFile(path: string, size: number): Promise<Buffer> {
  if (size > SYNC_MAX_BYTES) return readFile(path);
  await fairTurn();
  return timed(() => readFileSync(path));
}
