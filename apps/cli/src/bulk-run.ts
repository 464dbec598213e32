import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { loadConfig } from '@formbridge/config';
import { BulkContext, BulkContextOptions } from '@formbridge/queue';

/**
 * Opens the bulk context for one command and always closes it, also on Ctrl-C: running jobs
 * finish (or are picked up again by other workers), nothing is left half-written.
 */
export async function withBulkContext<T>(
  fn: (ctx: BulkContext) => Promise<T>,
  options: BulkContextOptions = {},
): Promise<T> {
  const ctx = await BulkContext.open(loadConfig(), options);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= ctx.close());
  const onSignal = (signal: NodeJS.Signals) => {
    process.stderr.write(
      `\nformbridge: ${signal}: stopping; the batch goes on in the services' workers, if any\n`,
    );
    void close().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn(ctx);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await close();
  }
}

/** The embedded database lives in this process only: no other process's workers can reach it. */
export function assertWorkersCanReachDatabase(localWorkers: boolean): void {
  if (!localWorkers && !loadConfig().DATABASE_URL) {
    throw new FormBridgeError(
      ErrorCode.InvalidInput,
      '--no-local-workers needs a PostgreSQL server (DATABASE_URL): other processes cannot open the embedded database',
    );
  }
}
