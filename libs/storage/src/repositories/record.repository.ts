import { Database } from '../database';
import { JsonObject, RecordFilter, RecordVersionRow, StoredRecord } from '../storage.types';

const RECORD_COLUMNS = `r.id, r.version, r.form_type AS "formType", r.year, r.department, r.project, r.data,
  r.created_at AS "createdAt", r.updated_at AS "updatedAt",
  r.document_id AS "documentId", r.form_index AS "formIndex", d.sha256, d.name AS file`;

type RecordRow = Omit<StoredRecord, 'source'> & { documentId: number | null; formIndex: number | null; sha256: string | null; file: string | null };

const toRecord = ({ documentId, formIndex, sha256, file, ...rest }: RecordRow): StoredRecord => ({
  ...rest,
  source: { documentId, sha256, file, formIndex },
});

/** The indexed columns, taken from the record itself so they never disagree with it. */
const DERIVED = `
  form_type = $2::jsonb->>'formType',
  year = CASE WHEN $2::jsonb->>'year' ~ '^[0-9]{1,4}$' THEN ($2::jsonb->>'year')::int END,
  department = $2::jsonb->>'departmentName',
  project = $2::jsonb->>'projectName'`;

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
  if (filter.batchId !== undefined) add('r.document_id IN (SELECT document_id FROM batch_items WHERE batch_id = ?)', filter.batchId);
  return clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
}

export class RecordRepository {
  constructor(private readonly db: Database) {}

  /**
   * Stores what one parse of a document found, in one statement: the records (once per
   * document and form index, whoever gets there first), their first versions, the document's
   * parse outcome and the batch item. Running it again adds nothing, so a job that is run twice
   * (its worker died after the commit) still stores each record exactly once.
   */
  async storeParsed(itemId: number, documentId: number, records: readonly JsonObject[], warnings: readonly JsonObject[]): Promise<number> {
    const [row] = await this.db.query<{ newRecords: number }>(
      `WITH input AS (
         SELECT (e.ord - 1)::int AS form_index, e.value AS data
         FROM jsonb_array_elements($2::jsonb) WITH ORDINALITY AS e(value, ord)
       ), ins AS (
         INSERT INTO records (form_type, year, department, project, data, document_id, form_index)
         SELECT data->>'formType',
                CASE WHEN data->>'year' ~ '^[0-9]{1,4}$' THEN (data->>'year')::int END,
                data->>'departmentName', data->>'projectName', data, $1, form_index
         FROM input
         ON CONFLICT (document_id, form_index) DO NOTHING
         RETURNING id, data
       ), versions AS (
         INSERT INTO record_versions (record_id, version, data, origin) SELECT id, 1, data, 'import' FROM ins
       ), doc AS (
         UPDATE documents SET parsed_at = now(), form_count = $3, warnings = $4::jsonb, error_code = NULL, error_message = NULL
         WHERE id = $1
       ), item AS (
         UPDATE batch_items SET status = 'done', record_count = $3, new_records = (SELECT count(*) FROM ins),
                error_code = NULL, reason = NULL, finished_at = now()
         WHERE id = $5 AND status <> 'done'
       )
       SELECT count(*)::int AS "newRecords" FROM ins`,
      [documentId, JSON.stringify(records), records.length, JSON.stringify(warnings), itemId],
    );
    return row.newRecords;
  }

  async get(id: number): Promise<StoredRecord | undefined> {
    const [row] = await this.db.query<RecordRow>(`SELECT ${RECORD_COLUMNS} FROM records r LEFT JOIN documents d ON d.id = r.document_id WHERE r.id = $1`, [id]);
    return row && toRecord(row);
  }

  /** A page in id order; `afterId` walks large result sets without OFFSET. */
  async list(filter: RecordFilter, page: { limit: number; offset?: number; afterId?: number }): Promise<StoredRecord[]> {
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
    const [row] = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM records r ${where(filter, params)}`, params);
    return row.n;
  }

  /** Ids only, in order, for walking a selection that may not fit in memory. */
  async ids(filter: RecordFilter, afterId: number, limit: number): Promise<number[]> {
    const params: unknown[] = [];
    let sql = where(filter, params);
    params.push(afterId, limit);
    sql += `${sql ? ' AND' : 'WHERE'} r.id > $${params.length - 1}`;
    const rows = await this.db.query<{ id: number }>(`SELECT r.id FROM records r ${sql} ORDER BY r.id LIMIT $${params.length}`, params);
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
      [id, JSON.stringify(data), expectedVersion ?? null],
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
