import { EXIT_CODE_BY_CODE, FormBridgeError } from '@formbridge/common';
import { ConfigError } from '@formbridge/config';

/** One line on stderr and a code-specific exit status; never a stack trace for input problems. */
export function reportAndExit(err: unknown): never {
  if (err instanceof FormBridgeError) {
    process.stderr.write(`formbridge: ${err.message}\n`);
    for (const e of err.details?.fieldErrors ?? []) process.stderr.write(`  ${e.path}: ${e.reason}\n`);
    process.exit(EXIT_CODE_BY_CODE[err.code]);
  }
  if (err instanceof ConfigError) {
    process.stderr.write(`formbridge: ${err.message}\n`);
    process.exit(2);
  }
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`formbridge: unexpected error: ${message.split('\n')[0]}\n`);
  if (process.env.FORMBRIDGE_DEBUG) process.stderr.write(`${(err as Error)?.stack ?? ''}\n`);
  process.exit(1);
}

/**
 * `formbridge records --json | head`: the reader went away, which is how pipes end, not an
 * error. Stop quietly with success, as cat and grep do.
 */
export function exitQuietlyOnClosedPipe(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}
