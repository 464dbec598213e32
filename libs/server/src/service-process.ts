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
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (signalled) process.exit(code);
    signalled = true;
    setTimeout(() => process.exit(code), graceMs + 2000).unref();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
