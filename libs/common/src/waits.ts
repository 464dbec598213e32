import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Waits `ms`, or less if `until` settles first: resolves then, or rejects with `until`'s error.
 * The timer is cleared either way, so nothing is left to hold the process or to wait on.
 */
export async function sleepUnless(ms: number, until: Promise<unknown>): Promise<void> {
  const timer = new AbortController();
  try {
    await Promise.race([until, sleep(ms, undefined, { signal: timer.signal })]);
  } finally {
    timer.abort();
  }
}

/** Bounds a promise that may never settle (a connection that is gone); its outcome is not looked at. */
export function within(promise: Promise<unknown>, ms: number): Promise<void> {
  return sleepUnless(
    ms,
    promise.catch(() => undefined),
  );
}
