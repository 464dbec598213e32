import { writeFileSync } from 'node:fs';

/**
 * Names the calling thread (Linux: at most 15 bytes), so `top -H`, `ps -L` and `perf` tell
 * FormBridge's threads apart (`fb-parse`, `fb-generate`, `fb-pglite`) instead of showing every
 * one as `node`; the benchmark reads the names to split a run's CPU by thread. Anywhere else it
 * does nothing.
 */
export function nameThisThread(name: string): void {
  try {
    writeFileSync('/proc/thread-self/comm', name.slice(0, 15));
  } catch {
    // not Linux, or /proc not mounted: the name is only a convenience
  }
}
