import { ErrorCode, FormBridgeError, isConnectionError, within } from '@formbridge/common';
import { loadConfig } from '@formbridge/config';
import { BulkContext, BulkContextOptions } from '@formbridge/queue';

/** What a person types to pick a stopped batch up again. */
function resumeHint(ctx: BulkContext): string {
  const batch = ctx.batch;
  if (!batch) return 'nothing was queued yet; run the same command again';
  return (
    `${batch.kind} batch ${batch.id} stopped before it was finished; run the same command again to resume it ` +
    `(${batch.kind === 'import' ? 'files already stored are not read again' : 'records already generated are kept'})`
  );
}

/**
 * A command stopping half-way closes its batch in the database with a note (the items already
 * queued are still run by any worker of this deployment), so it never stays open for an hour.
 * Best effort: the server that made us stop may still be gone.
 */
async function closeStoppedBatch(ctx: BulkContext, why: string): Promise<void> {
  const batch = ctx.batch;
  if (!batch) return;
  const note = `stopped by its command (${why}) before every item was queued; running the same command again resumes it`;
  // Bounded by a timer that holds the process: an unref'd one let a seal waiting on a connection
  // that holds nothing leave the event loop empty, and the command could end before saying why.
  await within(
    (async () => {
      if (await ctx.storage.batches.seal(batch.id, note)) await ctx.queue.seal(batch.kind, batch);
    })(),
    2000,
  );
}

/**
 * Opens the bulk context for one command and always closes it. Ctrl-C or SIGTERM ends the process
 * within SHUTDOWN_TIMEOUT_MS whatever the connections are doing (a second signal at once); a Redis
 * or PostgreSQL outage longer than OUTAGE_TIMEOUT_MS stops the command with a message that names
 * the batch and how to resume it.
 */
export async function withBulkContext<T>(
  fn: (ctx: BulkContext) => Promise<T>,
  options: BulkContextOptions = {},
): Promise<T> {
  const config = loadConfig();
  const ctx = await BulkContext.open(config, options);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= ctx.close());
  let signalled = false;
  const onSignal = (signal: NodeJS.Signals) => {
    const code = signal === 'SIGINT' ? 130 : 143;
    if (signalled) process.exit(code);
    signalled = true;
    process.stderr.write(`\nformbridge: ${signal}: stopping. ${resumeHint(ctx)}\n`);
    setTimeout(() => process.exit(code), config.SHUTDOWN_TIMEOUT_MS + 3000).unref();
    void closeStoppedBatch(ctx, signal)
      .then(close)
      .finally(() => process.exit(code));
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const stopWatching = new AbortController();
  try {
    return await Promise.race([fn(ctx), ctx.outageTimeout(stopWatching.signal)]);
  } catch (err) {
    if (!isConnectionError(err)) throw err;
    await closeStoppedBatch(ctx, (err as Error).message);
    throw new FormBridgeError(
      ErrorCode.Unavailable,
      `${(err as Error).message.split('\n')[0]}: ${resumeHint(ctx)}`,
    );
  } finally {
    stopWatching.abort();
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
