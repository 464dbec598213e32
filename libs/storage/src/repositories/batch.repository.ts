import { EventEmitter } from 'node:events';
import { Database, Queryable, prepared } from '../database';
import {
  BatchCounts,
  BatchItemRow,
  BatchKind,
  BatchRow,
  ExportItem,
  ExportRow,
  JsonObject,
  NewItem,
  ParseItem,
} from '../storage.types';

const BATCH_COLUMNS = `id, kind, status, options, total, note, created_at AS "createdAt", sealed_at AS "sealedAt", finished_at AS "finishedAt", files_deleted_at AS "filesDeletedAt"`;

export class BatchRepository {
  /** 'completed' with the batch id, for the batches this process completes (see onCompleted). */
  private readonly events = new EventEmitter().setMaxListeners(0);

  constructor(private readonly db: Database) {}

  /**
   * Hears of every batch that this process marks completed, as soon as it is written: a command
   * waiting on its own batch, whose last job its own workers ran, need not wait for its next poll.
   * Batches completed by other processes are only seen by reading the database. Returns the
   * function that stops listening.
   */
  onCompleted(listener: (batchId: number) => void): () => void {
    this.events.on('completed', listener);
    return () => this.events.off('completed', listener);
  }

  async create(kind: BatchKind, options: JsonObject = {}): Promise<BatchRow> {
    const [row] = await this.db.query<BatchRow>(
      `INSERT INTO batches (kind, options) VALUES ($1, $2::jsonb) RETURNING ${BATCH_COLUMNS}`,
      [kind, JSON.stringify(options)],
    );
    return row;
  }

  async get(id: number): Promise<BatchRow | undefined> {
    const [row] = await this.db.query<BatchRow>(`SELECT ${BATCH_COLUMNS} FROM batches WHERE id = $1`, [id]);
    return row;
  }

  /** The newest batches of one kind first, each with its item counts. */
  async list(
    kind: BatchKind,
    limit: number,
    offset: number,
  ): Promise<{ items: Array<BatchRow & BatchCounts>; total: number }> {
    const [items, [{ n }]] = await Promise.all([
      this.db.query<BatchRow & BatchCounts>(
        `SELECT ${BATCH_COLUMNS.replace(/(^|, )(\w+)/g, '$1b.$2')},
                count(i.id) FILTER (WHERE i.status = 'pending')::int AS pending,
                count(i.id) FILTER (WHERE i.status = 'done')::int AS done,
                count(i.id) FILTER (WHERE i.status = 'failed')::int AS failed
         FROM batches b LEFT JOIN batch_items i ON i.batch_id = b.id
         WHERE b.kind = $1 GROUP BY b.id ORDER BY b.id DESC LIMIT $2 OFFSET $3`,
        [kind, limit, offset],
      ),
      this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM batches WHERE kind = $1`, [kind]),
    ]);
    return { items, total: n };
  }

  /** Adds items and returns their ids in the order given. */
  async addItems(batchId: number, items: readonly NewItem[], tx: Queryable = this.db): Promise<number[]> {
    if (!items.length) return [];
    const rows = await tx.query<{ id: number; position: number }>(ADD_ITEMS, [
      batchId,
      items.map((i) => i.position),
      items.map((i) => i.name),
      items.map((i) => i.documentId ?? null),
      items.map((i) => i.recordId ?? null),
      items.map((i) => (i.failure ? 'failed' : 'pending')),
      items.map((i) => i.failure?.code ?? null),
      items.map((i) => i.failure?.reason ?? null),
    ]);
    const byPosition = new Map(rows.map((r) => [r.position, r.id]));
    return items.map((i) => byPosition.get(i.position) as number);
  }

  /** Every item is queued: from now on the batch only waits for its jobs. */
  async seal(batchId: number, note?: string): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE batches SET status = 'running', sealed_at = now(), note = COALESCE($2, note) WHERE id = $1 AND status = 'queuing' RETURNING id`,
      [batchId, note ?? null],
    );
    return rows.length > 0;
  }

  async complete(batchId: number): Promise<void> {
    await this.db.query(
      `UPDATE batches SET status = 'completed', finished_at = COALESCE(finished_at, now()) WHERE id = $1`,
      [batchId],
    );
    this.events.emit('completed', batchId);
  }

  async counts(batchId: number): Promise<BatchCounts> {
    const rows = await this.db.query<{ status: keyof BatchCounts; n: number }>(
      `SELECT status, count(*)::int AS n FROM batch_items WHERE batch_id = $1 GROUP BY status`,
      [batchId],
    );
    const counts: BatchCounts = { pending: 0, done: 0, failed: 0 };
    for (const r of rows) counts[r.status] = r.n;
    return counts;
  }

  /**
   * Records the batch holds, how many of them this batch added, and the records its returned
   * forms updated with a new version.
   */
  async recordTotals(
    batchId: number,
  ): Promise<{ records: number; newRecords: number; updatedRecordIds: number[] }> {
    const [row] = await this.db.query<{ records: number; newRecords: number; updatedRecordIds: number[] }>(
      `SELECT COALESCE(sum(record_count), 0)::int AS records, COALESCE(sum(new_records), 0)::int AS "newRecords",
              (SELECT COALESCE(jsonb_agg(DISTINCT u.id ORDER BY u.id), '[]'::jsonb)
               FROM batch_items b, jsonb_array_elements_text(b.updated_records) AS x,
                    LATERAL (SELECT x::bigint AS id) u
               WHERE b.batch_id = $1) AS "updatedRecordIds"
       FROM batch_items WHERE batch_id = $1 AND status = 'done'`,
      [batchId],
    );
    return row;
  }

  /** Items after `afterPosition`, in order; `only` narrows to failures or to items with warnings. */
  async items(
    batchId: number,
    afterPosition: number,
    limit: number,
    only?: 'failed' | 'warned' | 'done',
  ): Promise<BatchItemRow[]> {
    const filter =
      only === 'failed'
        ? `AND i.status = 'failed'`
        : only === 'warned'
          ? `AND i.status = 'done' AND jsonb_array_length(COALESCE(d.warnings, '[]'::jsonb)) > 0`
          : only === 'done'
            ? `AND i.status = 'done'`
            : '';
    return this.db.query<BatchItemRow>(
      `SELECT i.id, i.position, i.name, i.status, i.error_code AS "errorCode", i.reason, i.record_count AS "recordCount",
              i.new_records AS "newRecords", i.document_id AS "documentId", d.sha256, d.warnings,
              i.record_id AS "recordId", i.output_sha256 AS "outputSha256", i.output_name AS "outputName"
       FROM batch_items i LEFT JOIN documents d ON d.id = i.document_id
       WHERE i.batch_id = $1 AND i.position > $2 ${filter}
       ORDER BY i.position LIMIT $3`,
      [batchId, afterPosition, limit],
    );
  }

  /**
   * Import items with their documents, in one query; with `withContent`, the stored bytes too
   * (when they are kept in the database) for the items whose document still needs parsing.
   */
  async parseItems(
    itemIds: readonly number[],
    withContent: boolean,
    /** Items whose bytes the caller has already (no content read for them). */
    except: readonly number[] = [],
  ): Promise<ParseItem[]> {
    return withContent
      ? this.db.query<ParseItem>(PARSE_ITEMS_WITH_CONTENT, [itemIds, except])
      : this.db.query<ParseItem>(PARSE_ITEMS, [itemIds]);
  }

  /**
   * Export items with their batch's options and their record's data, in one query. The data
   * comes as text, unparsed: a generate thread parses it (docs/bench.md).
   */
  async exportItems(itemIds: readonly number[]): Promise<ExportItem[]> {
    return this.db.query<ExportItem>(EXPORT_ITEMS, [itemIds]);
  }

  /** Files whose documents were parsed before: they add no records, only point at them. */
  async markReusedMany(items: ReadonlyArray<{ itemId: number; formCount: number }>): Promise<void> {
    if (!items.length) return;
    await this.db.query(MARK_REUSED, [items.map((i) => i.itemId), items.map((i) => i.formCount)]);
  }

  async markFailedMany(
    items: ReadonlyArray<{ itemId: number; code: string; reason: string }>,
  ): Promise<void> {
    if (!items.length) return;
    await this.db.query(MARK_FAILED, [
      items.map((i) => i.itemId),
      items.map((i) => i.code),
      items.map((i) => i.reason),
    ]);
  }

  /** Fails the still-pending items of a batch whose jobs are gone (their reasons by item id). */
  async failPending(
    batchId: number,
    reasons: ReadonlyMap<number, string>,
    fallback: string,
  ): Promise<number> {
    const ids = [...reasons.keys()];
    const rows = await this.db.query(
      `UPDATE batch_items i SET status = 'failed', error_code = 'JOB_FAILED', finished_at = now(),
              reason = COALESCE(r.reason, $4)
       FROM (SELECT i2.id, r2.reason FROM batch_items i2
             LEFT JOIN unnest($2::bigint[], $3::text[]) AS r2(id, reason) ON r2.id = i2.id
             WHERE i2.batch_id = $1 AND i2.status = 'pending') r
       WHERE i.id = r.id
       RETURNING i.id`,
      [batchId, ids, ids.map((id) => reasons.get(id) as string), fallback],
    );
    return rows.length;
  }

  /** An export's items with the record each was made from, in order. */
  /**
   * Export batches finished before `before` lose their files: their items forget the output
   * bytes (names, statuses and reasons stay) and the batch records when. Returns the hashes that
   * were outputs, for the blob store to delete those nothing else uses.
   */
  async forgetExportFiles(before: Date): Promise<{ batches: number; sha256s: string[] }> {
    return this.db.transaction(async (tx) => {
      const batches = await tx.query<{ id: number }>(
        `UPDATE batches SET files_deleted_at = now()
          WHERE kind = 'export' AND files_deleted_at IS NULL AND finished_at IS NOT NULL AND finished_at < $1
          RETURNING id`,
        [before],
      );
      if (!batches.length) return { batches: 0, sha256s: [] };
      const rows = await tx.query<{ sha256: string }>(
        `WITH forgotten AS (
           SELECT id, output_sha256, pdf_sha256 FROM batch_items
            WHERE batch_id = ANY($1::bigint[]) AND (output_sha256 IS NOT NULL OR pdf_sha256 IS NOT NULL)
         ), cleared AS (
           UPDATE batch_items i SET output_sha256 = NULL, pdf_sha256 = NULL FROM forgotten f WHERE i.id = f.id
         )
         SELECT DISTINCT sha256 FROM (
           SELECT output_sha256 AS sha256 FROM forgotten UNION SELECT pdf_sha256 FROM forgotten
         ) s WHERE sha256 IS NOT NULL`,
        [batches.map((b) => b.id)],
      );
      return { batches: batches.length, sha256s: rows.map((r) => r.sha256) };
    });
  }

  /** Of these hashes, those no submission and no kept export output points at any more. */
  async unreferencedBlobs(sha256s: readonly string[]): Promise<string[]> {
    if (!sha256s.length) return [];
    const rows = await this.db.query<{ sha256: string }>(
      `SELECT s AS sha256 FROM unnest($1::text[]) s
        WHERE NOT EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = s)
          AND NOT EXISTS (SELECT 1 FROM batch_items i WHERE i.output_sha256 = s)
          AND NOT EXISTS (SELECT 1 FROM batch_items i WHERE i.pdf_sha256 = s)`,
      [sha256s],
    );
    return rows.map((r) => r.sha256);
  }

  /**
   * A page of an export's items with their records' index columns. The page is cut before the
   * join: an export's items are new, so the planner's statistics do not know them yet, and it
   * joined every item after `afterPosition` to its record before keeping the first `limit`
   * (10,000 items read in pages of 1,000 made 55,000 joins instead of 10,000).
   *
   * With `settledOnly`, the page ends before the first item still pending: read while the batch
   * runs, it holds only items whose state is final (an item done or failed never changes again).
   */
  async exportRows(
    batchId: number,
    afterPosition: number,
    limit: number,
    settledOnly = false,
  ): Promise<ExportRow[]> {
    const before = settledOnly
      ? `AND position < COALESCE((SELECT min(p.position) FROM batch_items p
           WHERE p.batch_id = $1 AND p.status = 'pending' AND p.position > $2), 2147483647)`
      : '';
    return this.db.query<ExportRow>(
      `SELECT i.position, i.status, i.error_code AS "errorCode", i.reason, i.output_sha256 AS "outputSha256",
              i.output_name AS "outputName", i.pdf_sha256 AS "pdfSha256", i.record_id AS "recordId", r.form_type AS "formType", r.year,
              r.department, r.project
       FROM (SELECT * FROM batch_items WHERE batch_id = $1 AND position > $2 ${before} ORDER BY position LIMIT $3) i
       LEFT JOIN records r ON r.id = i.record_id
       ORDER BY i.position`,
      [batchId, afterPosition, limit],
    );
  }

  /** Items done: their .docx (and, when the export asked for it, the PDF) are in the blob store. */
  async markExportedMany(
    items: ReadonlyArray<{ itemId: number; outputSha256: string; outputName: string; pdfSha256?: string }>,
    tx: Queryable = this.db,
  ): Promise<void> {
    if (!items.length) return;
    await tx.query(MARK_EXPORTED, [
      items.map((i) => i.itemId),
      items.map((i) => i.outputSha256),
      items.map((i) => i.outputName),
      items.map((i) => i.pdfSha256 ?? null),
    ]);
  }
}

/*
 * The statements that write many items at once take one array per column (`unnest`), not a
 * `VALUES` list of a row's worth of parameters each: the text is the same for any number of
 * items, so it is prepared once per connection, where a list of 1,000 items was a new statement
 * of 8,000 parameters for the server to parse and plan every time (an export's ten inserts of
 * 1,000 items took PostgreSQL 0.89 s, a third of its work in the export; docs/bench.md,
 * "Fifteenth look").
 */
const ADD_ITEMS = prepared(
  'add-items',
  `WITH ins AS (
     INSERT INTO batch_items (batch_id, position, name, document_id, record_id, status, error_code, reason)
     SELECT $1::bigint, * FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[])
     ON CONFLICT (batch_id, position) DO UPDATE SET name = EXCLUDED.name
     RETURNING id, position
   ), total AS (
     UPDATE batches SET total = total + (SELECT count(*) FROM ins) WHERE id = $1::bigint
   )
   SELECT id, position FROM ins`,
);
const MARK_REUSED = prepared(
  'mark-reused',
  `UPDATE batch_items b SET status = 'done', record_count = v.n, new_records = 0, error_code = NULL, reason = NULL, finished_at = now()
   FROM unnest($1::bigint[], $2::int[]) AS v(id, n) WHERE b.id = v.id`,
);
const MARK_FAILED = prepared(
  'mark-failed',
  `UPDATE batch_items b SET status = 'failed', error_code = v.code, reason = v.reason, finished_at = now()
   FROM unnest($1::bigint[], $2::text[], $3::text[]) AS v(id, code, reason) WHERE b.id = v.id`,
);
const MARK_EXPORTED = prepared(
  'mark-exported',
  `UPDATE batch_items b SET status = 'done', output_sha256 = v.sha, output_name = v.name, pdf_sha256 = v.pdf, error_code = NULL, reason = NULL, finished_at = now()
   FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[]) AS v(id, sha, name, pdf) WHERE b.id = v.id`,
);

// The statements every parse or generate job runs first, prepared once per connection.
const parseItemsSql = (content: string) =>
  `SELECT i.id, i.batch_id AS "batchId", i.status, i.name, d.id AS "documentId", d.sha256, d.format,
          d.form_count AS "formCount", d.error_code AS "errorCode", d.error_message AS "errorMessage",
          ${content} AS content
   FROM batch_items i JOIN documents d ON d.id = i.document_id WHERE i.id = ANY($1::bigint[])`;
const PARSE_ITEMS = prepared('parse-items', parseItemsSql('NULL'));
const PARSE_ITEMS_WITH_CONTENT = prepared(
  'parse-items-with-content',
  parseItemsSql(
    `(SELECT b.content FROM blobs b WHERE b.sha256 = d.sha256 AND i.status = 'pending' AND d.form_count IS NULL AND d.error_code IS NULL AND NOT i.id = ANY($2::bigint[]))`,
  ),
);
const EXPORT_ITEMS = prepared(
  'export-items',
  `SELECT i.id, i.batch_id AS "batchId", i.status, i.record_id AS "recordId", b.options,
          r.data::text AS "dataJson", r.data->'year' AS "dataYear", r.department, r.project,
          r.version, r.form_type AS "formType"
   FROM batch_items i JOIN batches b ON b.id = i.batch_id LEFT JOIN records r ON r.id = i.record_id
   WHERE i.id = ANY($1::bigint[])`,
);
