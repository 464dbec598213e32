import { definitions } from '@formbridge/definitions';
import { Database } from '../database';
import { JsonObject, ParsedDocument, RecordFilter, RecordVersionRow, StoredRecord } from '../storage.types';

const RECORD_COLUMNS = `r.id, r.version, r.form_type AS "formType", r.year, r.department, r.project, r.data,
  r.created_at AS "createdAt", r.updated_at AS "updatedAt",
  r.document_id AS "documentId", r.form_index AS "formIndex", d.sha256, d.name AS file`;

type RecordRow = Omit<StoredRecord, 'source'> & {
  documentId: number | null;
  formIndex: number | null;
  sha256: string | null;
  file: string | null;
};

const toRecord = ({ documentId, formIndex, sha256, file, ...rest }: RecordRow): StoredRecord => ({
  ...rest,
  source: { documentId, sha256, file, formIndex },
});

/**
 * The indexed columns, taken from the record itself so they never disagree with it; which fields
 * name the department and the project its form definition says (`summary`).
 */
const DERIVED = `
  form_type = $2::jsonb->>'formType',
  year = CASE WHEN $2::jsonb->>'year' ~ '^[0-9]{1,4}$' THEN ($2::jsonb->>'year')::int END,
  department = $4::text,
  project = $5::text`;

function where(filter: RecordFilter, params: unknown[]): string {
  const clauses: string[] = [];
  const add = (sql: string, value: unknown) => {
    params.push(value);
    clauses.push(sql.replace('?', `$${params.length}`));
  };
  if (filter.year !== undefined) add('r.year = ?', filter.year);
  if (filter.formType !== undefined) add('r.form_type = ?', filter.formType);
  if (filter.department !== undefined) add(`r.department ILIKE '%' || ? || '%'`, filter.department);
  if (filter.project !== undefined) add(`r.project ILIKE '%' || ? || '%'`, filter.project);
  if (filter.batchId !== undefined)
    add('r.document_id IN (SELECT document_id FROM batch_items WHERE batch_id = ?)', filter.batchId);
  return clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
}

export class RecordRepository {
  constructor(private readonly db: Database) {}

  /**
   * Stores what parses of documents found, in one statement for all of them: the records (once
   * per document and form index, whoever gets there first), their first versions, each document's
   * parse outcome and its batch item. Running it again adds nothing, so a job that is run twice
   * (its worker died after the commit) still stores each record exactly once. Returns, per input,
   * how many records it added.
   */
  async storeParsedMany(parsed: readonly ParsedDocument[]): Promise<number[]> {
    const rows = await this.db.query<{ itemId: number; newRecords: number }>(
      `WITH input AS (
         SELECT (x->>'itemId')::bigint AS item_id, (x->>'documentId')::bigint AS document_id, x->'records' AS records,
                x->'summaries' AS summaries, x->'warnings' AS warnings
         FROM jsonb_array_elements($1::jsonb) AS x
       ), forms AS (
         SELECT DISTINCT ON (i.document_id, e.ord) i.document_id, (e.ord - 1)::int AS form_index, e.value AS data,
                i.summaries->((e.ord - 1)::int) AS summary
         FROM input i, jsonb_array_elements(i.records) WITH ORDINALITY AS e(value, ord)
       ), ins AS (
         INSERT INTO records (form_type, year, department, project, data, document_id, form_index)
         SELECT data->>'formType',
                CASE WHEN data->>'year' ~ '^[0-9]{1,4}$' THEN (data->>'year')::int END,
                summary->>'department', summary->>'project', data, document_id, form_index
         FROM forms
         ON CONFLICT (document_id, form_index) DO NOTHING
         RETURNING id, document_id, data
       ), versions AS (
         INSERT INTO record_versions (record_id, version, data, origin) SELECT id, 1, data, 'import' FROM ins
       ), added AS (
         -- a document that came twice in one call counts its new records once, for its first item
         SELECT i.item_id, CASE WHEN i.item_id = min(i.item_id) OVER (PARTITION BY i.document_id)
                                THEN (SELECT count(*) FROM ins WHERE ins.document_id = i.document_id) ELSE 0 END::int AS n
         FROM input i
       ), doc AS (
         UPDATE documents d SET parsed_at = now(), form_count = jsonb_array_length(i.records), warnings = i.warnings,
                error_code = NULL, error_message = NULL
         FROM input i WHERE d.id = i.document_id
       ), item AS (
         UPDATE batch_items b SET status = 'done', record_count = jsonb_array_length(i.records), new_records = a.n,
                error_code = NULL, reason = NULL, finished_at = now()
         FROM input i JOIN added a USING (item_id)
         WHERE b.id = i.item_id AND b.status <> 'done'
       )
       SELECT item_id AS "itemId", n AS "newRecords" FROM added`,
      [
        JSON.stringify(
          parsed.map((p) => ({ ...p, summaries: p.records.map((r) => definitions().summaryOf(r)) })),
        ),
      ],
    );
    const byItem = new Map(rows.map((r) => [r.itemId, r.newRecords]));
    return parsed.map((p) => byItem.get(p.itemId) ?? 0);
  }

  async storeParsed(
    itemId: number,
    documentId: number,
    records: readonly JsonObject[],
    warnings: readonly JsonObject[],
  ): Promise<number> {
    const [n] = await this.storeParsedMany([{ itemId, documentId, records, warnings }]);
    return n;
  }

  async get(id: number): Promise<StoredRecord | undefined> {
    const [row] = await this.db.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM records r LEFT JOIN documents d ON d.id = r.document_id WHERE r.id = $1`,
      [id],
    );
    return row && toRecord(row);
  }

  /** A page in id order; `afterId` walks large result sets without OFFSET. */
  async list(
    filter: RecordFilter,
    page: { limit: number; offset?: number; afterId?: number },
  ): Promise<StoredRecord[]> {
    const params: unknown[] = [];
    let sql = where(filter, params);
    if (page.afterId !== undefined) {
      params.push(page.afterId);
      sql += `${sql ? ' AND' : 'WHERE'} r.id > $${params.length}`;
    }
    params.push(page.limit, page.offset ?? 0);
    const rows = await this.db.query<RecordRow>(
      `SELECT ${RECORD_COLUMNS} FROM records r LEFT JOIN documents d ON d.id = r.document_id ${sql}
       ORDER BY r.id LIMIT $${params.length - 1} OFFSET $${params.length}`,
      params,
    );
    return rows.map(toRecord);
  }

  async count(filter: RecordFilter): Promise<number> {
    const params: unknown[] = [];
    const [row] = await this.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM records r ${where(filter, params)}`,
      params,
    );
    return row.n;
  }

  /** Ids only, in order, for walking a selection that may not fit in memory. */
  async ids(filter: RecordFilter, afterId: number, limit: number): Promise<number[]> {
    const params: unknown[] = [];
    let sql = where(filter, params);
    params.push(afterId, limit);
    sql += `${sql ? ' AND' : 'WHERE'} r.id > $${params.length - 1}`;
    const rows = await this.db.query<{ id: number }>(
      `SELECT r.id FROM records r ${sql} ORDER BY r.id LIMIT $${params.length}`,
      params,
    );
    return rows.map((r) => r.id);
  }

  /**
   * Replaces a record's data and keeps the earlier one: the update and the new version row are
   * one statement. With `expectedVersion`, nothing changes unless the record is still at it.
   */
  async update(id: number, data: JsonObject, expectedVersion?: number): Promise<number | undefined> {
    const [row] = await this.db.query<{ version: number }>(
      `WITH upd AS (
         UPDATE records SET data = $2::jsonb, ${DERIVED}, version = version + 1, updated_at = now()
         WHERE id = $1 AND ($3::int IS NULL OR version = $3::int)
         RETURNING id, version, data
       )
       INSERT INTO record_versions (record_id, version, data, origin) SELECT id, version, data, 'edit' FROM upd
       RETURNING version`,
      [
        id,
        JSON.stringify(data),
        expectedVersion ?? null,
        definitions().summaryOf(data).department,
        definitions().summaryOf(data).project,
      ],
    );
    return row?.version;
  }

  async versions(id: number): Promise<RecordVersionRow[]> {
    return this.db.query<RecordVersionRow>(
      `SELECT version, origin, data, created_at AS "createdAt" FROM record_versions WHERE record_id = $1 ORDER BY version`,
      [id],
    );
  }
}
