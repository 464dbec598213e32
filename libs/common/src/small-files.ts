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
 * so files above SYNC_MAX_BYTES go the asynchronous way, and once YIELD_AFTER_MS have gone by
 * since the loop last had a turn, the next call first gives it one (timers, Redis and PostgreSQL
 * replies, the progress bar).
 *
 * Writing stays asynchronous: creating a file costs the kernel far more than reading one (an
 * export's 10,000 new files took 3-5 s of system time), and on the main thread that time is
 * taken from the work the export waits for; writeFileSync there saved CPU but no wall time.
 */
export const SYNC_MAX_BYTES = 1 << 20;
const YIELD_AFTER_MS = 20;

/** When these calls last let the event loop run. */
let lastTurn = performance.now();

/**
 * Lets the event loop run when YIELD_AFTER_MS have gone by since these calls last did. Counted
 * in wall time, not in time inside the calls: the awaits between them cost as much again, and
 * the loop may have run meanwhile anyway, in which case the turn is one setImmediate too many.
 */
async function fairTurn(): Promise<void> {
  if (performance.now() - lastTurn >= YIELD_AFTER_MS) {
    await yieldToLoop();
    lastTurn = performance.now();
  }
}

/** stat(), synchronous when it can be (a stat is one system call and never moves file data). */
export async function statSmall(path: string): Promise<Stats> {
  await fairTurn();
  return statSync(path);
}

/** The bytes of a file whose size a stat just gave. */
export async function readSmallFile(path: string, size: number): Promise<Buffer> {
  if (size > SYNC_MAX_BYTES) return readFile(path);
  await fairTurn();
  return readFileSync(path);
}
