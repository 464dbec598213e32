import { ErrorCode, FormBridgeError, sleepUnless } from '@formbridge/common';
import { BatchRow, Storage } from '@formbridge/storage';
import { writtenToOf } from './export/export-index';

export interface BatchProgress {
  batchId: number;
  kind: BatchRow['kind'];
  status: BatchRow['status'];
  total: number;
  pending: number;
  done: number;
  failed: number;
  note: string | null;
  createdAt: Date;
  finishedAt: Date | null;
  /**
   * Exports only: whether the export's files can be downloaded (false once EXPORT_RETENTION_DAYS
   * deleted them, or when `formbridge export` wrote them to its folder without keeping them).
   */
  filesAvailable?: boolean;
}

export interface FileFailure {
  file: string;
  code: string | null;
  reason: string | null;
}

export interface FileWarning {
  file: string;
  recordIndex: number | null;
  code: string;
  message: string;
  path: string | null;
}

/** A returned form whose changes clash with edits made since it was generated: nothing of it was applied. */
export interface FormConflict {
  file: string;
  formIndex: number;
  recordId: number;
  conflictId: number;
  code: 'CONFLICT';
  paths: string[];
}

export interface ImportReport extends BatchProgress {
  /** Records the batch's files hold, and how many of them this batch stored for the first time. */
  records: number;
  newRecords: number;
  /** Records that returned forms brought a new version to, and their ids. */
  updatedRecords: number;
  updatedRecordIds: number[];
  conflicts: FormConflict[];
  failures: FileFailure[];
  warnings: FileWarning[];
}

export interface ExportReport extends BatchProgress {
  failures: Array<{ recordId: number | null; code: string | null; reason: string | null }>;
}

export interface BatchPage {
  items: BatchProgress[];
  total: number;
  limit: number;
  offset: number;
}

const PAGE = 1000;

/** An export's `filesAvailable` (see BatchProgress); nothing for other batches. */
function filesOf(batch: Pick<BatchRow, 'kind' | 'options' | 'filesDeletedAt'>): { filesAvailable?: boolean } {
  if (batch.kind !== 'export') return {};
  return { filesAvailable: !batch.filesDeletedAt && writtenToOf(batch.options) === undefined };
}

/** Progress and outcome of batches, read from the database (the source of truth, not Redis). */
export class BatchReportService {
  constructor(private readonly storage: Storage) {}

  async progress(batchId: number): Promise<BatchProgress> {
    const batch = await this.storage.batches.get(batchId);
    if (!batch) throw new FormBridgeError(ErrorCode.NotFound, `batch ${batchId} does not exist`);
    const counts = await this.storage.batches.counts(batchId);
    return {
      batchId,
      kind: batch.kind,
      status: batch.status,
      total: batch.total,
      ...counts,
      note: batch.note,
      createdAt: batch.createdAt,
      finishedAt: batch.finishedAt,
      ...filesOf(batch),
    };
  }

  /** Past batches of one kind, newest first, with their progress. */
  async list(kind: BatchRow['kind'], limit: number, offset: number): Promise<BatchPage> {
    const { items, total } = await this.storage.batches.list(kind, limit, offset);
    return {
      items: items.map((b) => ({
        batchId: b.id,
        kind: b.kind,
        status: b.status,
        total: b.total,
        pending: b.pending,
        done: b.done,
        failed: b.failed,
        note: b.note,
        createdAt: b.createdAt,
        finishedAt: b.finishedAt,
        ...filesOf(b),
      })),
      total,
      limit,
      offset,
    };
  }

  async importReport(batchId: number): Promise<ImportReport> {
    const progress = await this.progress(batchId);
    if (progress.kind !== 'import')
      throw new FormBridgeError(ErrorCode.NotFound, `batch ${batchId} is not an import`);
    const failures: FileFailure[] = [];
    for await (const item of this.walk(batchId, 'failed'))
      failures.push({ file: item.name, code: item.errorCode, reason: item.reason });
    const warnings: FileWarning[] = [];
    for await (const item of this.walk(batchId, 'warned')) {
      for (const w of item.warnings ?? []) {
        warnings.push({
          file: item.name,
          recordIndex: (w.recordIndex as number | null) ?? null,
          code: String(w.code),
          message: String(w.message),
          path: (w.path as string | null) ?? null,
        });
      }
    }
    const totals = await this.storage.batches.recordTotals(batchId);
    const conflicts = (await this.storage.records.conflicts({ batchId }))
      .reverse()
      .map((c): FormConflict => ({
        file: c.file,
        formIndex: c.formIndex,
        recordId: c.recordId,
        conflictId: c.id,
        code: 'CONFLICT',
        paths: c.paths,
      }));
    return {
      ...progress,
      records: totals.records,
      newRecords: totals.newRecords,
      updatedRecords: totals.updatedRecordIds.length,
      updatedRecordIds: totals.updatedRecordIds,
      conflicts,
      failures,
      warnings,
    };
  }

  async exportReport(batchId: number): Promise<ExportReport> {
    const progress = await this.progress(batchId);
    if (progress.kind !== 'export')
      throw new FormBridgeError(ErrorCode.NotFound, `batch ${batchId} is not an export`);
    const failures: ExportReport['failures'] = [];
    for await (const item of this.walk(batchId, 'failed'))
      failures.push({ recordId: item.recordId, code: item.errorCode, reason: item.reason });
    return { ...progress, failures };
  }

  /** The batch's items in order, a page at a time. */
  async *walk(batchId: number, only?: 'failed' | 'warned' | 'done') {
    let after = 0;
    for (;;) {
      const page = await this.storage.batches.items(batchId, after, PAGE, only);
      yield* page;
      if (page.length < PAGE) return;
      after = page[page.length - 1].position;
    }
  }

  /**
   * Polls until the batch is completed, reporting its progress on the way if asked to. When this
   * process's own workers complete it, the wait ends at once instead of at the next poll.
   */
  async waitForCompletion(
    batchId: number,
    onProgress?: (p: BatchProgress) => void,
    pollMs = 250,
  ): Promise<void> {
    let stop = () => {};
    const completedHere = new Promise<void>((resolve) => {
      stop = this.storage.batches.onCompleted((id) => id === batchId && resolve());
    });
    try {
      for (;;) {
        // The items are counted only for someone to see the counts: at 10,000 items a count is
        // about 10 ms of PostgreSQL, four times a second; without, only the batch's row is read.
        if (onProgress) {
          const progress = await this.progress(batchId);
          onProgress(progress);
          if (progress.status === 'completed') return;
        } else {
          const batch = await this.storage.batches.get(batchId);
          if (!batch) throw new FormBridgeError(ErrorCode.NotFound, `batch ${batchId} does not exist`);
          if (batch.status === 'completed') return;
        }
        // Once heard, every later wait is over at once: a read that began before the update
        // and said "running" is followed by one that sees it.
        await sleepUnless(pollMs, completedHere);
      }
    } finally {
      stop();
    }
  }
}
