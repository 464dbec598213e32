import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { validateRecord } from '@formbridge/contract';
import { RecordRepository } from './repositories/record.repository';
import {
  JsonObject,
  RecordConflict,
  RecordConflictSides,
  RecordFilter,
  RecordSort,
  RecordVersionRow,
  StoredRecord,
} from './storage.types';

/** The keys a stored record carries besides the contract's fields (never part of `data`). */
export const RECORD_OWN_KEYS = ['id', 'version', 'source', 'sources', 'warnings'] as const;

/** A record as the API and the CLI show it: the contract's fields plus its own keys. */
export type PublicRecord = JsonObject & {
  id: number;
  version: number;
  /** The form it was first imported from. */
  source: StoredRecord['source'];
  /** Every form, in every document, that carried its content (or came back as a version of it). */
  sources: StoredRecord['sources'];
  warnings: StoredRecord['warnings'];
};

export function toPublicRecord(r: StoredRecord): PublicRecord {
  return {
    ...r.data,
    id: r.id,
    version: r.version,
    source: r.source,
    sources: r.sources,
    warnings: r.warnings,
  };
}

export interface RecordPage {
  items: PublicRecord[];
  total: number;
  limit: number;
  offset: number;
  /** Over every matching record, not just this page: the sum of their amounts (万元). */
  totals: { amount: string | null };
}

export class RecordService {
  constructor(private readonly records: RecordRepository) {}

  async list(filter: RecordFilter, limit: number, offset: number, sort?: RecordSort): Promise<RecordPage> {
    const [items, totals] = await Promise.all([
      this.records.list(filter, { limit, offset, sort }),
      this.records.totals(filter),
    ]);
    return {
      items: items.map(toPublicRecord),
      total: totals.count,
      limit,
      offset,
      totals: { amount: totals.amount },
    };
  }

  /** Every matching record, a page at a time, without holding them all. */
  async *stream(filter: RecordFilter, pageSize = 500): AsyncGenerator<PublicRecord> {
    let afterId = 0;
    for (;;) {
      const page = await this.records.list(filter, { limit: pageSize, afterId });
      for (const r of page) yield toPublicRecord(r);
      if (page.length < pageSize) return;
      afterId = page[page.length - 1].id;
    }
  }

  async get(id: number): Promise<StoredRecord> {
    const record = await this.records.get(id);
    if (!record) throw new FormBridgeError(ErrorCode.NotFound, `record ${id} does not exist`);
    return record;
  }

  async getPublic(id: number): Promise<PublicRecord> {
    return toPublicRecord(await this.get(id));
  }

  /**
   * Replaces a record with an edited one, validated against the contract; the earlier version
   * is kept. The record's own keys (id, version, source, warnings) may be sent back and are ignored, except
   * that a `version` makes the edit conditional: it fails if someone else edited first.
   */
  async update(id: number, body: unknown): Promise<PublicRecord> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new FormBridgeError(ErrorCode.InvalidRecord, 'a record must be a JSON object');
    }
    const {
      id: _id,
      version,
      source: _source,
      sources: _sources,
      warnings: _warnings,
      ...data
    } = body as JsonObject;
    const current = await this.get(id);
    const fieldErrors = validateRecord(data);
    if (fieldErrors.length) {
      throw new FormBridgeError(
        ErrorCode.InvalidRecord,
        `the record does not match the contract (${fieldErrors.length} problems)`,
        { fieldErrors },
      );
    }
    if (data.formType !== current.formType) {
      throw new FormBridgeError(
        ErrorCode.InvalidRecord,
        `formType cannot change (the record is a ${current.formType})`,
        {
          fieldErrors: [{ path: '$.formType', reason: `must stay ${current.formType}` }],
        },
      );
    }
    const expected = typeof version === 'number' ? version : undefined;
    const updated = await this.records.update(id, data, expected);
    if (updated === undefined) {
      throw new FormBridgeError(
        ErrorCode.Conflict,
        `record ${id} was edited since version ${expected}; fetch it again and re-apply the change`,
      );
    }
    return this.getPublic(id);
  }

  async versions(id: number): Promise<RecordVersionRow[]> {
    await this.get(id);
    return this.records.versions(id);
  }

  async version(id: number, version: number): Promise<RecordVersionRow> {
    const found = (await this.versions(id)).find((v) => v.version === version);
    if (!found) throw new FormBridgeError(ErrorCode.NotFound, `record ${id} has no version ${version}`);
    return found;
  }

  /** Returned forms that clashed with edits: of one record, or all (open ones by default). */
  conflicts(filter: {
    recordId?: number;
    status?: 'open' | 'resolved';
    batchId?: number;
  }): Promise<RecordConflict[]> {
    return this.records.conflicts(filter);
  }

  /** A conflict with both sides (and the version both started from), for a person to decide. */
  async conflict(conflictId: number): Promise<RecordConflictSides> {
    const found = await this.records.conflict(conflictId);
    if (!found) throw new FormBridgeError(ErrorCode.NotFound, `conflict ${conflictId} does not exist`);
    return found;
  }

  /**
   * Decides a conflict: `record` (when given) is what should stand, stored as an edit of the
   * record (conditional on `version` when sent back); then the conflict is closed.
   */
  async resolveConflict(conflictId: number, body: { record?: unknown }): Promise<RecordConflictSides> {
    const conflict = await this.conflict(conflictId);
    if (conflict.status !== 'open')
      throw new FormBridgeError(ErrorCode.Conflict, `conflict ${conflictId} was already resolved`);
    if (body.record !== undefined) await this.update(conflict.recordId, body.record);
    await this.records.resolveConflict(conflictId);
    return this.conflict(conflictId);
  }
}
