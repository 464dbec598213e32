#!/usr/bin/env node
'use strict';
const { spawn } = require('node:child_process');
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(
    'formbridge: not built yet; run `npm ci` (or `npm run build`) in the project folder first\n',
  );
  process.exit(1);
}

/**
 * Memory settings that V8 and glibc read only when a process starts, so the command runs in a
 * process started with them (docs/bench.md, "Where the embedded database's memory went"):
 * - young generations of 2 × 4 MB instead of V8's 2 × 16 MB, in every isolate of the process;
 * - two malloc arenas instead of glibc's eight per core: the parse threads and V8's compiler
 *   threads each kept an arena of freed memory.
 * Measured on an embedded import of 10,000 files: ~380 MB peak without them, ~320 MB with, at the
 * same speed. FORMBRIDGE_NODE_TUNED=0 runs the command in this process as it is; a
 * --max-semi-space-size or MALLOC_ARENA_MAX of the user's own is kept.
 */
const TUNED = 'FORMBRIDGE_NODE_TUNED';
if (process.env[TUNED] === undefined) {
  const own = `${process.execArgv.join(' ')} ${process.env.NODE_OPTIONS ?? ''}`;
  const flags = own.includes('--max-semi-space-size') ? [] : ['--max-semi-space-size=4'];
  const child = spawn(
    process.execPath,
    [...process.execArgv, ...flags, __filename, ...process.argv.slice(2)],
    {
      // The channel is how the command learns that this process is gone (see below).
      stdio: ['inherit', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, [TUNED]: '1', MALLOC_ARENA_MAX: process.env.MALLOC_ARENA_MAX ?? '2' },
    },
  );
  // Ctrl-C reaches the command from the terminal itself (one process group); a signal sent to
  // this process alone (a service manager's SIGTERM) is passed on. The command decides when to
  // stop; this process ends with it, with its exit code or its signal.
  const pass = (signal) => () => child.kill(signal);
  process.on('SIGINT', () => undefined);
  process.on('SIGTERM', pass('SIGTERM'));
  process.on('SIGHUP', pass('SIGHUP'));
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
} else {
  if (process.env[TUNED] === '1' && process.channel) {
    // Started by the process above: if that one is killed outright (SIGKILL, a crash), this one
    // goes the same way, as the one process it stands for would have; it never runs on alone.
    process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
    process.channel.unref();
  }
  require(main);
}
