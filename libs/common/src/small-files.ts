import {
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
  type Stats,
} from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
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
 * Writing a file into place (writeSmallFileAtomic) goes the same way, and for the same reason
 * costs even more asynchronously: stat, mkdir, open, write, close and rename, six trips through
 * the pool a file. 10,000 files of 8 KB into a content-addressed folder took 7.3-8.4 s of CPU
 * (4.6-6.0 s of it the kernel's, the threads handing work to each other on this virtual machine)
 * against 1.4-1.8 s synchronously (docs/bench.md, "Seventh look"). An export's files
 * (writeSmallFile) likewise: 10,000 with the callback writeFile one at a time 2.8 s of CPU, four
 * at a time 1.7-2.2 s, synchronously 0.6-0.9 s; the embedded export 15.6-16.4 -> 13.7-15.1 s.
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

/** Whether a file is there, by one synchronous stat (no error made when it is not). */
export async function existsSmall(path: string): Promise<boolean> {
  await fairTurn();
  return existsSync(path);
}

/** Writes a file whole (made or replaced): synchronously up to SYNC_MAX_BYTES, as above. */
export async function writeSmallFile(path: string, bytes: Uint8Array): Promise<void> {
  if (bytes.length > SYNC_MAX_BYTES) return writeFile(path, bytes);
  await fairTurn();
  writeFileSync(path, bytes);
}

/**
 * Puts `bytes` at `path` by way of the temporary name `tmp` beside it, renamed into place, so that
 * no reader ever sees half a file; makes the folder when it is missing. Synchronous up to
 * SYNC_MAX_BYTES (after the event loop's turn, as above), through fs/promises above it.
 */
export async function writeSmallFileAtomic(path: string, tmp: string, bytes: Uint8Array): Promise<void> {
  if (bytes.length > SYNC_MAX_BYTES) {
    await writeFile(tmp, bytes).catch(async (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err;
      await mkdir(dirname(tmp), { recursive: true });
      await writeFile(tmp, bytes);
    });
    await rename(tmp, path);
    return;
  }
  await fairTurn();
  try {
    writeFileSync(tmp, bytes);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    mkdirSync(dirname(tmp), { recursive: true });
    writeFileSync(tmp, bytes);
  }
  renameSync(tmp, path);
}
