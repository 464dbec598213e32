import { ConfigError } from '@formbridge/config';
import { EXIT_CODE_BY_CODE, FormBridgeError } from '@formbridge/common';

/**
 * A service that cannot start (Redis or PostgreSQL not answering, the embedded database in use,
 * a bad setting) says why in one line and exits non-zero, instead of an unhandled rejection.
 */
export function exitOnStartupFailure(service: string): (err: unknown) => never {
  return (err) => {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`formbridge ${service}: cannot start: ${message.split('\n')[0]}\n`);
    if (err instanceof FormBridgeError) process.exit(EXIT_CODE_BY_CODE[err.code]);
    process.exit(err instanceof ConfigError ? 2 : 1);
  };
}

/**
 * Nest closes the app on SIGTERM/SIGINT (workers finish their jobs, connections close); this
 * makes sure the process ends within `graceMs` even when a connection it waits on is gone, and at
 * once on a second signal.
 */
export function exitWithinAfterSignal(graceMs: number): void {
  let signalled = false;
  // Ends the process the way the signal would have, once our listeners are gone.
  const die = (signal: NodeJS.Signals) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.kill(process.pid, signal);
  };
  function onSignal(signal: NodeJS.Signals): void {
    // The second one is Nest re-raising the signal after its shutdown hooks, or an impatient user.
    if (signalled) return die(signal);
    signalled = true;
    setTimeout(() => die(signal), graceMs + 2000).unref();
  }
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
