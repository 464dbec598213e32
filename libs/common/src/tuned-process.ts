import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';

const TUNED = 'FORMBRIDGE_NODE_TUNED';

/** V8's helper threads in a tuned process: one per core, and never more than Node's default four. */
export function tunedV8PoolSize(): number {
  return Math.min(4, availableParallelism());
}

/**
 * Memory settings that V8 and glibc read only when a process starts, for the embedded database
 * (docs/bench.md, "Where the embedded database's memory went"):
 * - young generations of 2 × 4 MB instead of V8's 2 × 16 MB, in every isolate of the process;
 * - two malloc arenas instead of glibc's eight per core: the parse threads, PGlite's thread and
 *   V8's compiler threads each kept an arena of freed memory.
 * An embedded import of 10,000 files peaked at ~318 MB with them against ~400 MB without. On
 * PostgreSQL a process stays far below its 400 MB without them, and they cost an import about a
 * tenth of its speed (more young collections, arena contention), so there it runs as started.
 *
 * And one setting for speed, since the child is started anyway: V8's helper threads (its
 * optimising compiler, garbage collection, the compiling of PGlite's WebAssembly) at most one per
 * core instead of Node's fixed four. On two cores, four helpers beside the parse thread, PGlite's
 * thread and the main thread made the embedded import 0.5-1.3 s slower (of 14-17 s) in four pairs
 * (docs/bench.md, "Twelfth look"). (On PostgreSQL it saved 0.14 s on average, less than starting
 * a second process costs.)
 *
 * Call it first thing in an entry script, before loading the application: when it returns true,
 * the work runs in a child process started with the settings, and this process only stands for it
 * (same exit code or signal, SIGTERM and SIGHUP passed on, Ctrl-C reaching the child from the
 * terminal). When it returns false the caller runs the work itself. FORMBRIDGE_NODE_TUNED=0 opts
 * out; a --max-semi-space-size, --v8-pool-size or MALLOC_ARENA_MAX of the user's own is kept.
 */
export function runTuned(entry: string): boolean {
  const mark = process.env[TUNED];
  if (mark !== undefined) {
    if (mark === '1' && process.channel) {
      // Started by runTuned: if that process is killed outright (SIGKILL, a crash), this one goes
      // the same way, as the one process it stands for would have; it never runs on alone.
      process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
      process.channel.unref();
    }
    return false;
  }
  if (process.env.DATABASE_URL) return false;

  const own = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  const flags = [
    ...(own.includes('--max-semi-space-size') ? [] : ['--max-semi-space-size=4']),
    ...(own.includes('--v8-pool-size') ? [] : [`--v8-pool-size=${tunedV8PoolSize()}`]),
  ];
  const child = spawn(process.execPath, [...process.execArgv, ...flags, entry, ...process.argv.slice(2)], {
    // The channel is how the child learns that this process is gone (above).
    stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
    env: { ...process.env, [TUNED]: '1', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
  });
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', () => child.kill('SIGTERM'));
  process.on('SIGHUP', () => child.kill('SIGHUP'));
  child.on('error', (err) => {
    process.stderr.write(`formbridge: could not start ${process.execPath}: ${err.message}\n`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    if (signal) {
      process.removeAllListeners(signal);
      process.kill(process.pid, signal);
    } else process.exit(code ?? 1);
  });
  return true;
}
