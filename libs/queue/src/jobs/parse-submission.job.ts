import { ErrorCode, FormBridgeError, isPermanentInputError } from '@formbridge/common';
import { ParseWarning, ReturnStamp, SubmissionParser, WarningCode, isOwnStamp } from '@formbridge/forms';
import { Batcher, Deployment, ParseItem, ReturnClaim, Storage } from '@formbridge/storage';
import type { ReadOptions } from '@formbridge/word';
import type { LocalFiles } from '../import/local-files';
import { itemsOf, type JobContext, type JobHandler, type JobOf } from '../job.types';
import { JobName } from '../queue.constants';
import { ItemFailures } from './item-failures';

/**
 * Parses a few files of an import and stores their records. Safe to run twice (a worker killed
 * after the commit): an item that is no longer pending is left alone, and records are unique per
 * (document, form index). A document parsed before is not parsed again.
 *
 * A file that cannot be read fails alone: its item says why and the others are stored. The job
 * fails (and is kept in Redis) when any of its files did: with UnrecoverableError when every
 * failure was the file's own, else to be retried, and a retry repeats only the pending items.
 */
export class ParseSubmissionJob implements JobHandler<JobName.ParseSubmission> {
  readonly name = JobName.ParseSubmission;
  /** The worker's concurrent jobs store their records together. */
  private readonly results: Batcher<Parsed, number>;

  constructor(
    private readonly storage: Storage,
    private readonly parser: SubmissionParser,
    private readonly readOptions: ReadOptions,
    /** Files this process's imports just stored (see LocalFiles). */
    private readonly localFiles?: LocalFiles,
  ) {
    this.results = new Batcher((parsed) => storage.records.storeParsedMany(parsed), 256);
  }

  async handle(
    data: JobOf<JobName.ParseSubmission>,
    context: JobContext,
  ): Promise<{ records: number; newRecords: number }> {
    const itemIds = itemsOf(data);
    const local = new Map<number, Uint8Array>();
    for (const id of itemIds) {
      const bytes = this.localFiles?.take(id);
      if (bytes) local.set(id, bytes);
    }
    const rows = await this.storage.batches.parseItems(itemIds, this.storage.blobs.location === 'database', [
      ...local.keys(),
    ]);
    for (const row of rows) row.content ??= local.get(row.id) ?? null;
    const byId = new Map(rows.map((r) => [r.id, r]));
    const failures = new ItemFailures('file', context);
    const reused: Array<{ itemId: number; formCount: number }> = [];
    const toParse: ParseItem[] = [];
    let records = 0;
    for (const id of itemIds) {
      const item = byId.get(id);
      if (!item)
        failures.add(id, new FormBridgeError(ErrorCode.NotFound, `import item ${id} does not exist`));
      else if (item.status !== 'pending') records += item.formCount ?? 0;
      else if (item.errorCode)
        failures.add(
          id,
          new FormBridgeError(item.errorCode as ErrorCode, item.errorMessage ?? item.errorCode),
          item.name,
        );
      else if (item.formCount !== null) reused.push({ itemId: id, formCount: item.formCount });
      else toParse.push(item);
    }
    if (reused.length) await this.storage.batches.markReusedMany(reused);
    records += reused.reduce((n, r) => n + r.formCount, 0);

    // Bytes not read with the items (kept in a folder): each file's own, so one that is missing
    // fails its item alone.
    const fetched = new Map<string, Promise<Uint8Array>>();
    for (const item of toParse)
      if (!item.content && !fetched.has(item.sha256)) {
        const bytes = this.storage.blobs.get(item.sha256);
        bytes.catch(() => undefined); // awaited by its item below
        fetched.set(item.sha256, bytes);
      }

    // Every file of the job parsed first, then stored in one statement and one commit: stored as
    // each parse came back, a worker's stores held two files on average (docs/bench.md).
    const parsed = await Promise.all(
      toParse.map(async (item) => {
        try {
          const bytes = item.content ?? (await (fetched.get(item.sha256) as Promise<Uint8Array>));
          return { item, result: await this.parser.parse(bytes, this.readOptions) };
        } catch (err) {
          if (isPermanentInputError(err)) {
            const code = (err as FormBridgeError).code;
            await this.storage.documents.markUnreadable(item.documentId, code, (err as Error).message);
          }
          failures.add(item.id, err, item.name);
          return undefined;
        }
      }),
    );
    let newRecords = 0;
    await Promise.all(
      parsed.map(async (p) => {
        if (!p) return;
        const { item, result } = p;
        try {
          // Awaited first: `newRecords += await …` would add to the value read before the wait,
          // and the job's items, stored together, would each overwrite the others' count.
          const added = await this.results.run({
            itemId: item.id,
            documentId: item.documentId,
            records: result.records,
            warnings: result.warnings as unknown as Record<string, unknown>[],
            returns: result.stamps && returnClaims(result.stamps, this.storage.deployment, result.warnings),
          });
          newRecords += added;
          records += result.records.length;
        } catch (err) {
          failures.add(item.id, err, item.name);
        }
      }),
    );
    await failures.settle(this.storage);
    return { records, newRecords };
  }
}

type Parsed = Parameters<Storage['records']['storeParsedMany']>[0][number];

/**
 * The forms that came back from this deployment, by their stamps. A stamp of another deployment,
 * or one whose seal does not match (the properties were edited), makes an ordinary form, with a
 * warning saying why it was not taken as a return.
 */
function returnClaims(
  stamps: ReadonlyArray<ReturnStamp | null>,
  deployment: Deployment,
  warnings: ParseWarning[],
): Array<ReturnClaim | null> {
  return stamps.map((stamp, recordIndex) => {
    if (!stamp) return null;
    if (isOwnStamp(stamp, deployment)) return { recordId: stamp.recordId, version: stamp.version };
    const why =
      stamp.deployment === deployment.id
        ? 'its seal does not match (its document properties were changed)'
        : `it was generated by another FormBridge deployment (${stamp.deployment})`;
    warnings.push({
      code: WarningCode.ReturnRefused,
      message: `the form names record ${stamp.recordId} version ${stamp.version}, but ${why}; imported as a form of its own`,
      recordIndex,
      path: null,
      location: null,
    });
    return null;
  });
}
