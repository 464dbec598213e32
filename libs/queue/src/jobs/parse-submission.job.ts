import { ErrorCode, FormBridgeError, isPermanentInputError } from '@formbridge/common';
import type { SubmissionParser } from '@formbridge/forms';
import { Batcher, ParseItem, ParsedDocument, Storage } from '@formbridge/storage';
import type { ReadOptions } from '@formbridge/word';
import type { JobContext, JobHandler, JobOf } from '../job.types';
import { JobName } from '../queue.constants';

/**
 * Parses one file of an import and stores its records. Safe to run twice (a worker killed after
 * the commit): an item that is no longer pending is left alone, and records are unique per
 * (document, form index). A document parsed before is not parsed again.
 */
export class ParseSubmissionJob implements JobHandler<JobName.ParseSubmission> {
  readonly name = JobName.ParseSubmission;
  /** The worker's concurrent jobs read their items (and bytes) and store their records together. */
  private readonly items: Batcher<number, ParseItem | undefined>;
  private readonly results: Batcher<ParsedDocument, number>;

  constructor(
    private readonly storage: Storage,
    private readonly parser: SubmissionParser,
    private readonly readOptions: ReadOptions,
  ) {
    const withContent = storage.blobs.location === 'database';
    this.items = new Batcher(async (ids) => {
      const rows = new Map((await storage.batches.parseItems(ids, withContent)).map((r) => [r.id, r]));
      return ids.map((id) => rows.get(id));
    });
    this.results = new Batcher((parsed) => storage.records.storeParsedMany(parsed));
  }

  async handle(
    { itemId }: JobOf<JobName.ParseSubmission>,
    context: JobContext,
  ): Promise<{ records: number; newRecords: number }> {
    const item = await this.items.run(itemId);
    if (!item) throw new FormBridgeError(ErrorCode.NotFound, `import item ${itemId} does not exist`);
    if (item.status !== 'pending') return { records: item.formCount ?? 0, newRecords: 0 };
    if (item.errorCode) {
      await this.storage.batches.markFailed(itemId, item.errorCode, item.errorMessage ?? item.errorCode);
      throw new FormBridgeError(item.errorCode as ErrorCode, item.errorMessage ?? item.errorCode);
    }
    if (item.formCount !== null) {
      await this.storage.batches.markReused(itemId, item.formCount);
      return { records: item.formCount, newRecords: 0 };
    }
    try {
      const bytes = item.content ?? (await this.storage.blobs.get(item.sha256));
      const result = await this.parser.parse(bytes, this.readOptions);
      const newRecords = await this.results.run({
        itemId,
        documentId: item.documentId,
        records: result.records,
        warnings: result.warnings as unknown as Record<string, unknown>[],
      });
      return { records: result.records.length, newRecords };
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (isPermanentInputError(err)) {
        const code = (err as FormBridgeError).code;
        await this.storage.documents.markUnreadable(item.documentId, code, message);
        await this.storage.batches.markFailed(itemId, code, message);
      } else if (context.isLastAttempt) {
        await this.storage.batches.markFailed(
          itemId,
          'JOB_FAILED',
          `gave up after ${context.attempt} tries: ${message}`,
        );
      }
      throw err;
    }
  }
}
