import type { Log } from '@formbridge/common';
import type { Storage } from '@formbridge/storage';
import type { JobContext } from '../job.types';
import type { BatchKind } from '../queue.constants';

/**
 * Closes a batch once its flow's children are all done. Items still pending here had jobs that
 * failed before they could say so (stalled too often) or were never queued (the producer died
 * between storing and queueing): they are failed with the reason BullMQ kept, if any.
 */
export async function finishBatch(
  storage: Storage,
  kind: BatchKind,
  batchId: number,
  context: JobContext,
  log?: Log,
): Promise<{ failed: number }> {
  const reasons = new Map<number, string>();
  for (const { itemIds, reason } of await context.failedChildren())
    for (const itemId of itemIds) reasons.set(itemId, reason);
  const failed = await storage.batches.failPending(
    batchId,
    reasons,
    'the file was never processed (its job was lost before it ran)',
  );
  await storage.batches.complete(batchId);
  if (log) {
    const counts = await storage.batches.counts(batchId);
    log.log(`${kind} batch ${batchId} finished`, {
      batch: batchId,
      kind,
      done: counts.done,
      failed: counts.failed,
    });
  }
  return { failed };
}

/** The guard child ran: either the producer sealed the batch, or it stopped and the delay ran out. */
export async function sealBatch(
  storage: Storage,
  batchId: number,
  timeoutMs: number,
): Promise<{ timedOut: boolean }> {
  const timedOut = await storage.batches.seal(
    batchId,
    `closed after ${Math.round(timeoutMs / 1000)} s without its producer: files it had not queued yet are missing`,
  );
  return { timedOut };
}
