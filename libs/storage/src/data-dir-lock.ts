import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { ErrorCode, FormBridgeError } from '@formbridge/common';

const LOCK_FILE = 'formbridge.lock';

interface Holder {
  pid: number;
  host: string;
  since: string;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): Holder | undefined {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Holder;
  } catch {
    return undefined; // half-written by a process that died while writing it: stale
  }
}

/**
 * Makes this process the only one using an embedded database folder. PGlite has no lock of its
 * own, and two processes writing one folder lose data (issue 10). A lock left by a process that
 * is gone (killed, crashed) is taken over; one held by a live process is a refusal that says
 * what to do instead. Returns the release function.
 */
export function lockDataDir(dir: string): () => void {
  const file = join(resolve(dir), LOCK_FILE);
  const me: Holder = { pid: process.pid, host: hostname(), since: new Date().toISOString() };
  for (let attempt = 0; ; attempt++) {
    let fd: number;
    try {
      fd = openSync(file, 'wx');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 2) throw err;
      const holder = readHolder(file);
      const held = holder && holder.pid !== process.pid && (holder.host !== me.host || isAlive(holder.pid));
      if (held) {
        throw new FormBridgeError(
          ErrorCode.DatabaseInUse,
          `the embedded database in ${dir} is in use by another process (pid ${holder.pid} on ${holder.host}, since ${holder.since}); ` +
            'only one process can open it: run the services and the workers in one process with `formbridge serve`, ' +
            `or set DATABASE_URL to a PostgreSQL server that every process shares (if no such process runs, delete ${file})`,
        );
      }
      try {
        unlinkSync(file);
      } catch {
        // another process took the stale lock over first: the next attempt sees its pid
      }
      continue;
    }
    writeSync(fd, JSON.stringify(me));
    closeSync(fd);
    break;
  }
  const release = () => {
    process.off('exit', release);
    if (readHolder(file)?.pid === process.pid) {
      try {
        unlinkSync(file);
      } catch {
        // already gone
      }
    }
  };
  // A process that ends without closing its database (an uncaught error) frees the folder too.
  process.on('exit', release);
  return release;
}
