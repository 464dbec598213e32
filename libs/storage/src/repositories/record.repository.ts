import { definitions, primaryAmountPath } from '@formbridge/definitions';
import { Database } from '../database';
import { rebuildVersions } from '../record-history';
import {
  JsonObject,
  ParsedDocument,
  RecordConflict,
  RecordConflictSides,
  RecordFilter,
  RecordSort,
  RecordSortKey,
  RecordSourceEntry,
  RecordVersionRow,
  RecordWarning,
  StoredRecord,
  VersionOrigin,
} from '../storage.types';
import { FilingStore, RECORD_WARNING, lockRecord, writeVersion } from './filing-store';

const RECORD_COLUMNS = `r.id, r.version, r.form_type AS "formType", r.year, r.department, r.project, r.data,
  r.warnings, r.created_at AS "createdAt", r.updated_at AS "updatedAt",
  r.document_id AS "documentId", r.form_index AS "formIndex", d.sha256, d.name AS file,
  (SELECT COALESCE(jsonb_agg(jsonb_build_object('documentId', s.document_id, 'sha256', sd.sha256, 'file', s.file,
                    'formIndex', s.form_index, 'version', s.version, 'firstSeen', s.first_seen)
                    ORDER BY s.first_seen, s.document_id, s.form_index), '[]'::jsonb)
   FROM record_sources s JOIN documents sd ON sd.id = s.document_id WHERE s.record_id = r.id) AS sources`;

type RecordRow = Omit<StoredRecord, 'source'> & {
  documentId: number | null;
  formIndex: number | null;
  sha256: string | null;
  file: string | null;
};

const toRecord = ({ documentId, formIndex, sha256, file, sources, ...rest }: RecordRow): StoredRecord => ({
  ...rest,
  source: { documentId, sha256, file, formIndex },
  sources: sources.map((x: RecordSourceEntry) => ({ ...x, firstSeen: new Date(x.firstSeen) })),
});

const CONFLICT_COLUMNS = `c.id, c.record_id AS "recordId", c.status, c.file, c.document_id AS "documentId",
  c.form_index AS "formIndex", b.batch_id AS "batchId", c.base_version AS "baseVersion",
  c.current_version AS "currentVersion", c.paths, c.created_at AS "createdAt", c.resolved_at AS "resolvedAt"`;

interface VersionRow {
  version: number;
  origin: VersionOrigin;
  createdAt: Date;
  changes: RecordVersionRow['changes'] | null;
  data: JsonObject | null;
  warnings: RecordWarning[] | null;
  documentId: number | null;
  formIndex: number | null;
  baseVersion: number | null;
  file: string | null;
}

/** `WHERE a AND b …` of the conditions whose value is given (`?` is the value's parameter). */
function whereOf(conditions: ReadonlyArray<[string, unknown]>, params: unknown[]): string {
  const clauses = conditions
    .filter(([, value]) => value !== undefined)
    .map(([sql, value]) => {
      params.push(value);
      return sql.replace('?', `$${params.length}`);
    });
  return clauses.length ? `WHERE ${clauses.join(' AND ')}` : '';
}

function where(filter: RecordFilter, params: unknown[]): string {
  const clause = whereOf(
    [
      ['r.year = ?', filter.year],
      ['r.form_type = ?', filter.formType],
      [`r.department ILIKE '%' || ? || '%'`, filter.department],
      [`r.project ILIKE '%' || ? || '%'`, filter.project],
      [
        `r.id IN (SELECT s.record_id FROM record_sources s JOIN batch_items b ON b.document_id = s.document_id WHERE b.batch_id = ?)`,
        filter.batchId,
      ],
      [
        `r.data::text ILIKE '%' || ? || '%'`,
        filter.q?.trim() ? filter.q.trim().replace(/[\\%_]/g, (c) => `\\${c}`) : undefined,
      ],
      [
        'EXISTS (SELECT 1 FROM record_versions ov WHERE ov.record_id = r.id AND ov.version = r.version AND ov.origin = ?)',
        filter.origin,
      ],
    ],
    params,
  );
  if (filter.hasWarnings === undefined) return clause;
  // Warnings belong to the record (its own column since migration 005).
  const warned = `${filter.hasWarnings ? '' : 'NOT '}(jsonb_array_length(r.warnings) > 0)`;
  return clause ? `${clause} AND ${warned}` : `WHERE ${warned}`;
}

/**
 * The amount that sums up each form type (its definition's first amount field) as a number, for
 * sorting and totals; text that is not a number counts as none.
 */
function amountSql(): string {
  const cases = definitions()
    .formTypes()
    .map((t) => {
      const path = primaryAmountPath(definitions().get(t)!);
      if (!path || !/^[A-Za-z0-9_.]+$/.test(path) || !/^[a-z0-9-]+$/.test(t)) return '';
      return `WHEN '${t}' THEN r.data #>> '{${path.split('.').join(',')}}'`;
    })
    .filter(Boolean);
  if (!cases.length) return 'NULL::numeric';
  const text = `(CASE r.form_type ${cases.join(' ')} END)`;
  return `(CASE WHEN ${text} ~ '^-?[0-9]+(\\.[0-9]+)?$' THEN ${text}::numeric END)`;
}

const SORT_SQL: Record<Exclude<RecordSortKey, 'amount'>, string> = {
  id: 'r.id',
  year: 'r.year',
  department: 'r.department',
  project: 'r.project',
  updatedAt: 'r.updated_at',
};

function orderBy(sort: RecordSort | undefined, amount: string): string {
  if (!sort || sort.key === 'id') return `r.id${sort?.descending ? ' DESC' : ''}`;
  const column = sort.key === 'amount' ? amount : SORT_SQL[sort.key];
  return `${column} ${sort.descending ? 'DESC' : 'ASC'} NULLS LAST, r.id`;
}

export class RecordRepository {
  private amount?: string;

  private amountExpr(): string {
    return (this.amount ??= amountSql());
  }

  constructor(private readonly db: Database) {}

  /**
   * Stores what parses of documents found, in one transaction for all of them. Each form of a
   * document is attributed once (`record_sources`), so running it again adds nothing and a job
   * that ran twice still stores each form once. A form returned from this deployment becomes its
   * record's next version (or a conflict, or nothing when it brings no change); any other form
   * whose content equals a stored record's is another source of that record; the rest are new
   * records, with a `possible-duplicate` warning when a record of the same filing exists.
   * Returns, per input, how many new records it added.
   */
  async storeParsedMany(parsed: readonly ParsedDocument[]): Promise<number[]> {
    return this.db.transaction((tx) => new FilingStore(tx).store(parsed));
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
    page: { limit: number; offset?: number; afterId?: number; sort?: RecordSort },
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
       ORDER BY ${orderBy(page.afterId === undefined ? page.sort : undefined, this.amountExpr())}
       LIMIT $${params.length - 1} OFFSET $${params.length}`,
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

  /** How many records match, and the sum of their amounts (two decimals; null when none has one). */
  async totals(filter: RecordFilter): Promise<{ count: number; amount: string | null }> {
    const params: unknown[] = [];
    const [row] = await this.db.query<{ count: number; amount: string | null }>(
      `SELECT count(*)::int AS count, round(sum(${this.amountExpr()}), 2)::text AS amount
       FROM records r ${where(filter, params)}`,
      params,
    );
    return row;
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
   * Replaces a record's data and keeps what changed as its new version. With `expectedVersion`,
   * nothing changes unless the record is still at it (undefined is returned then).
   */
  async update(id: number, data: JsonObject, expectedVersion?: number): Promise<number | undefined> {
    return this.db.transaction(async (tx) => {
      const current = await lockRecord(tx, id);
      if (!current || (expectedVersion !== undefined && current.version !== expectedVersion))
        return undefined;
      return writeVersion(tx, current, data, {
        origin: 'edit',
        warnings: current.warnings.filter((w) => w.code === RECORD_WARNING),
      });
    });
  }

  /** Every version, oldest first, each with its data rebuilt and its changes. */
  async versions(id: number): Promise<RecordVersionRow[]> {
    const record = await this.get(id);
    if (!record) return [];
    const rows = await this.db.query<VersionRow>(
      `SELECT v.version, v.origin, v.created_at AS "createdAt", v.changes, v.data, v.warnings,
              v.document_id AS "documentId", v.form_index AS "formIndex", v.base_version AS "baseVersion",
              COALESCE(s.file, d.name) AS file
       FROM record_versions v
       LEFT JOIN documents d ON d.id = v.document_id
       LEFT JOIN record_sources s ON s.document_id = v.document_id AND s.form_index = v.form_index
       WHERE v.record_id = $1 ORDER BY v.version`,
      [id],
    );
    const rebuilt = rebuildVersions(record.data, rows);
    return rows.map((r) => ({
      version: r.version,
      origin: r.origin,
      createdAt: r.createdAt,
      source:
        r.documentId === null
          ? null
          : { documentId: r.documentId, file: r.file, formIndex: r.formIndex ?? 0 },
      baseVersion: r.baseVersion,
      changes: rebuilt.get(r.version)?.changes ?? [],
      warnings: r.warnings ?? [],
      data: rebuilt.get(r.version)?.data ?? {},
    }));
  }

  /** Returned forms whose changes clashed with later edits, newest first. */
  async conflicts(filter: {
    recordId?: number;
    status?: 'open' | 'resolved';
    batchId?: number;
  }): Promise<RecordConflict[]> {
    const params: unknown[] = [];
    const conditions = whereOf(
      [
        ['c.record_id = ?', filter.recordId],
        ['c.status = ?', filter.status],
        ['b.batch_id = ?', filter.batchId],
      ],
      params,
    );
    return this.db.query<RecordConflict>(
      `SELECT ${CONFLICT_COLUMNS} FROM record_conflicts c LEFT JOIN batch_items b ON b.id = c.batch_item_id
       ${conditions} ORDER BY c.id DESC LIMIT 1000`,
      params,
    );
  }

  /** One conflict with both sides: the base version, the record as it was then, and the returned form. */
  async conflict(conflictId: number): Promise<RecordConflictSides | undefined> {
    const [row] = await this.db.query<RecordConflict & { returned: JsonObject }>(
      `SELECT ${CONFLICT_COLUMNS}, c.returned FROM record_conflicts c LEFT JOIN batch_items b ON b.id = c.batch_item_id
       WHERE c.id = $1`,
      [conflictId],
    );
    if (!row) return undefined;
    const versions = await this.versions(row.recordId);
    const at = (v: number) => versions.find((x) => x.version === v)?.data ?? {};
    return { ...row, base: at(row.baseVersion), current: at(row.currentVersion) };
  }

  /** Marks a conflict decided (the person applied what should stand with an edit, or dropped the form). */
  async resolveConflict(conflictId: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE record_conflicts SET status = 'resolved', resolved_at = now() WHERE id = $1 AND status = 'open' RETURNING id`,
      [conflictId],
    );
    return rows.length > 0;
  }
}
