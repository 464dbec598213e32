import { createHash } from 'node:crypto';
import { diffRecords, mergeRecords, sameJson } from '@formbridge/contract';
import { definitions, filingKey } from '@formbridge/definitions';
import { Queryable, prepared } from '../database';
import { rebuildVersions } from '../record-history';
import type { JsonObject, ParsedDocument, RecordWarning, ReturnClaim, VersionOrigin } from '../storage.types';

/** The warning about a record itself (not about the form it came from): it stays through edits. */
export const RECORD_WARNING = 'possible-duplicate';
const RETURN_REFUSED = 'return-refused';

// The statements every storing transaction runs, prepared once per connection (see prepared()).
const LOCK_KEYS = prepared(
  'lock-filing-keys',
  `SELECT count(pg_advisory_xact_lock(k))::int AS n FROM (SELECT DISTINCT k FROM unnest($1::bigint[]) AS k ORDER BY k) AS s`,
);
const ITEM_NAMES = prepared('item-names', `SELECT id, name FROM batch_items WHERE id = ANY($1::bigint[])`);
const TAKEN_FORMS = prepared(
  'taken-forms',
  `SELECT document_id || ':' || form_index AS key FROM record_sources WHERE document_id = ANY($1::bigint[])
   UNION ALL
   SELECT document_id || ':' || form_index FROM record_conflicts WHERE document_id = ANY($1::bigint[])`,
);

/** A record locked for writing a new version. */
export interface LockedRecord {
  id: number;
  version: number;
  formType: string;
  data: JsonObject;
  warnings: RecordWarning[];
}

export async function lockRecord(tx: Queryable, id: number): Promise<LockedRecord | undefined> {
  const [row] = await tx.query<LockedRecord>(
    `SELECT id, version, form_type AS "formType", data, warnings FROM records WHERE id = $1 FOR UPDATE`,
    [id],
  );
  return row;
}

/** Writes `data` as the record's next version, keeping only what changed in the version row. */
export async function writeVersion(
  tx: Queryable,
  record: LockedRecord,
  data: JsonObject,
  made: {
    origin: VersionOrigin;
    warnings: RecordWarning[];
    source?: { documentId: number; formIndex: number; file: string };
    baseVersion?: number;
  },
): Promise<number> {
  const version = record.version + 1;
  const { department, project } = definitions().summaryOf(data);
  await tx.query(
    `UPDATE records SET data = $2::jsonb, version = $3, updated_at = now(), warnings = $4::jsonb,
       form_type = $2::jsonb->>'formType',
       year = CASE WHEN $2::jsonb->>'year' ~ '^[0-9]{1,4}$' THEN ($2::jsonb->>'year')::int END,
       department = $6, project = $7,
       content_hash = encode(sha256(convert_to($2::jsonb::text, 'UTF8')), 'hex'), filing_key = $5
     WHERE id = $1`,
    [
      record.id,
      JSON.stringify(data),
      version,
      JSON.stringify(made.warnings),
      filingKey(data, definitions()) ?? null,
      department,
      project,
    ],
  );
  await tx.query(
    `INSERT INTO record_versions (record_id, version, origin, changes, warnings, document_id, form_index, base_version)
     VALUES ($1, $2, $3, $4::jsonb, $5::jsonb, $6, $7, $8)`,
    [
      record.id,
      version,
      made.origin,
      JSON.stringify(diffRecords(record.data, data)),
      JSON.stringify(made.warnings),
      made.source?.documentId ?? null,
      made.source?.formIndex ?? null,
      made.baseVersion ?? null,
    ],
  );
  if (made.source) await addSource(tx, record.id, version, made.source);
  return version;
}

async function addSource(
  tx: Queryable,
  recordId: number,
  version: number,
  source: { documentId: number; formIndex: number; file: string },
): Promise<void> {
  await tx.query(
    `INSERT INTO record_sources (document_id, form_index, record_id, version, file) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [source.documentId, source.formIndex, recordId, version, source.file],
  );
}

interface FormInput {
  itemId: number;
  documentId: number;
  formIndex: number;
  file: string;
  data: JsonObject;
  warnings: RecordWarning[];
  claim: ReturnClaim | null;
}

/** The warnings of one form of a parse, as the record keeps them (without the form's index). */
function formWarnings(all: readonly JsonObject[], formIndex: number): RecordWarning[] {
  return all
    .filter((w) => w.recordIndex === formIndex)
    .map(({ recordIndex: _i, ...w }) => w as unknown as RecordWarning);
}

/** A 64-bit advisory-lock key for a string (the first 8 bytes of its SHA-256), as int8 text. */
function lockKey(what: string): string {
  return createHash('sha256').update(what).digest().readBigInt64BE(0).toString();
}

/**
 * What storing these documents decides about: their documents, and each form's filing — or,
 * for a form that names no filing, its content (the same content always names the same filing,
 * so the filing's lock covers it; parsed records list their fields in one order, so their JSON
 * text is their content).
 */
function lockKeys(parsed: readonly ParsedDocument[]): string[] {
  const registry = definitions();
  const keys = new Set<string>();
  for (const doc of parsed) {
    keys.add(lockKey(`document:${doc.documentId}`));
    for (const data of doc.records) {
      const filing = filingKey(data, registry);
      keys.add(lockKey(filing ? `filing:${filing}` : `content:${JSON.stringify(data)}`));
    }
  }
  return [...keys];
}

/** Where each form of a batch of parsed documents goes: see RecordRepository.storeParsedMany. */
export class FilingStore {
  private readonly updated = new Map<number, number[]>();
  /** Warnings found while storing (a return that cannot be taken as one), per item. */
  private readonly extraWarnings = new Map<number, JsonObject[]>();

  constructor(private readonly tx: Queryable) {}

  async store(parsed: readonly ParsedDocument[]): Promise<number[]> {
    // Two writers must not each decide that the same content, or two contents of one filing, or
    // one document's forms, are new: each such key is locked for the transaction, in one order
    // for everyone (no deadlock). Writers of unrelated filings go on side by side; one lock for
    // all of them made every worker of an import wait in line for it.
    await this.tx.query(LOCK_KEYS, [lockKeys(parsed)]);
    const names = new Map(
      (await this.tx.query<{ id: number; name: string }>(ITEM_NAMES, [parsed.map((p) => p.itemId)])).map(
        (r) => [r.id, r.name],
      ),
    );
    const taken = new Set(
      (await this.tx.query<{ key: string }>(TAKEN_FORMS, [parsed.map((p) => p.documentId)])).map(
        (r) => r.key,
      ),
    );
    const firstItem = new Map<number, number>();
    const forms: FormInput[] = [];
    for (const doc of parsed) {
      if (firstItem.has(doc.documentId)) continue;
      firstItem.set(doc.documentId, doc.itemId);
      doc.records.forEach((data, formIndex) => {
        if (taken.has(`${doc.documentId}:${formIndex}`)) return;
        forms.push({
          itemId: doc.itemId,
          documentId: doc.documentId,
          formIndex,
          file: names.get(doc.itemId) ?? '',
          data,
          warnings: formWarnings(doc.warnings, formIndex),
          claim: doc.returns?.[formIndex] ?? null,
        });
      });
    }
    const plain: FormInput[] = [];
    for (const form of forms) {
      if (!form.claim || !(await this.storeReturn(form, form.claim))) plain.push(form);
    }
    const rows = await this.storePlain(plain, parsed, firstItem);
    const newIds = rows.filter((r) => r.kind === 'new').map((r) => r.id);
    if (newIds.length) await this.flagPossibleDuplicates(newIds);
    const byItem = new Map(rows.filter((r) => r.kind === 'item').map((r) => [r.id, r.n]));
    return parsed.map((p) => byItem.get(p.itemId) ?? 0);
  }

  /**
   * A form returned from this deployment. False when it cannot be taken as a return (its record
   * is gone, is of another form type, or never had that version): it is then an ordinary form.
   */
  private async storeReturn(form: FormInput, claim: ReturnClaim): Promise<boolean> {
    const record = await lockRecord(this.tx, claim.recordId);
    const refuse = (why: string) => {
      const warning = {
        code: RETURN_REFUSED,
        message: `the form was generated from record ${claim.recordId} version ${claim.version}, but ${why}; imported as a form of its own`,
        path: null,
        location: null,
      };
      form.warnings.push(warning);
      this.extra(form.itemId).push({ ...warning, recordIndex: form.formIndex });
      return false;
    };
    if (!record) return refuse('that record does not exist');
    if (record.formType !== form.data.formType) return refuse(`that record is a ${record.formType}`);
    if (claim.version > record.version) return refuse(`that record has no version ${claim.version}`);
    const source = { documentId: form.documentId, formIndex: form.formIndex, file: form.file };
    const base = await this.versionData(record, claim.version);
    if (sameJson(form.data, record.data)) {
      await addSource(this.tx, record.id, record.version, source);
      return true;
    }
    if (sameJson(form.data, base)) {
      // Sent back unchanged: nothing to apply, whatever was edited since.
      await addSource(this.tx, record.id, claim.version, source);
      return true;
    }
    const { merged, conflicts } = mergeRecords(base, record.data, form.data);
    if (!merged) {
      await this.tx.query(
        `INSERT INTO record_conflicts (record_id, document_id, form_index, file, batch_item_id, base_version, current_version, returned, paths)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8::jsonb, $9::jsonb) ON CONFLICT DO NOTHING`,
        [
          record.id,
          form.documentId,
          form.formIndex,
          form.file,
          form.itemId,
          claim.version,
          record.version,
          JSON.stringify(form.data),
          JSON.stringify(conflicts),
        ],
      );
      return true;
    }
    if (sameJson(merged, record.data)) {
      await addSource(this.tx, record.id, record.version, source);
      return true;
    }
    await writeVersion(this.tx, record, merged, {
      origin: 'return',
      warnings: [...form.warnings, ...record.warnings.filter((w) => w.code === RECORD_WARNING)],
      source,
      baseVersion: claim.version,
    });
    const ids = this.updated.get(form.itemId) ?? [];
    if (!ids.includes(record.id)) ids.push(record.id);
    this.updated.set(form.itemId, ids);
    return true;
  }

  private async versionData(record: LockedRecord, version: number): Promise<JsonObject> {
    const rows = await this.tx.query<{ version: number; changes: null; data: JsonObject | null }>(
      `SELECT version, changes, data FROM record_versions WHERE record_id = $1 AND version >= $2`,
      [record.id, version],
    );
    const found = rebuildVersions(record.data, rows).get(version);
    if (!found) throw new Error(`version ${version} of record ${record.id} cannot be rebuilt`);
    return found.data;
  }

  private extra(itemId: number): JsonObject[] {
    const list = this.extraWarnings.get(itemId) ?? [];
    this.extraWarnings.set(itemId, list);
    return list;
  }

  /**
   * Ordinary forms, in one statement: each goes to the stored record with the same content (of
   * the same form type) as another source, or else the first of its content becomes a new
   * record and the others in the batch its sources. Then documents and items are marked done.
   */
  private async storePlain(
    forms: readonly FormInput[],
    parsed: readonly ParsedDocument[],
    firstItem: ReadonlyMap<number, number>,
  ): Promise<Array<{ kind: 'item' | 'new'; id: number; n: number }>> {
    const registry = definitions();
    const input = forms.map((f) => {
      const { department, project } = registry.summaryOf(f.data);
      return {
        item_id: f.itemId,
        document_id: f.documentId,
        form_index: f.formIndex,
        file: f.file,
        data: f.data,
        warnings: f.warnings,
        filing_key: filingKey(f.data, registry) ?? null,
        department,
        project,
      };
    });
    const docs = parsed.map((p) => ({
      itemId: p.itemId,
      documentId: p.documentId,
      recordCount: p.records.length,
      warnings: [...p.warnings, ...(this.extraWarnings.get(p.itemId) ?? [])],
      updatedRecords: this.updated.get(p.itemId) ?? [],
      first: firstItem.get(p.documentId) === p.itemId,
    }));
    return this.tx.query(
      STORE_FORMS,
      // The ids again as arrays: the planner cannot see into the JSON, and without them joined
      // the whole documents and batch_items tables by hash for every call (docs/bench.md).
      [JSON.stringify(input), JSON.stringify(docs), docs.map((d) => d.documentId), docs.map((d) => d.itemId)],
    );
  }

  /** New records of a filing already stored under another record: a person decides which stands. */
  private async flagPossibleDuplicates(ids: number[]): Promise<void> {
    const fields = Object.fromEntries(
      definitions().definitions.map((d) => [d.formType, d.filingIdentity.join(', ')]),
    );
    await this.tx.query(FLAG_DUPLICATES, [ids, JSON.stringify(fields)]);
  }
}

/**
 * Stores one transaction's forms: new records, their first versions and sources, and the items
 * and documents done. f is MATERIALIZED so that each form's content hash is computed once:
 * inlined, it was computed again in the lookup of `known` (a fifth of the statement in the
 * embedded database).
 */
const STORE_FORMS = prepared(
  'store-forms',
  `WITH f AS MATERIALIZED (
     SELECT x.item_id, x.document_id, x.form_index, x.file, x.data, x.warnings, x.filing_key, x.department, x.project,
            x.data->>'formType' AS form_type, encode(sha256(convert_to(x.data::text, 'UTF8')), 'hex') AS hash
     FROM jsonb_to_recordset($1::jsonb)
       AS x(item_id bigint, document_id bigint, form_index int, file text, data jsonb, warnings jsonb, filing_key text,
            department text, project text)
   ), known AS (
     SELECT f.*, m.id AS record_id, m.version AS record_version
     FROM f LEFT JOIN LATERAL (
       SELECT r.id, r.version FROM records r WHERE r.form_type = f.form_type AND r.content_hash = f.hash
       ORDER BY r.id LIMIT 1
     ) m ON true
   ), firsts AS (
     SELECT DISTINCT ON (form_type, hash) * FROM known WHERE record_id IS NULL
     ORDER BY form_type, hash, document_id, form_index
   ), ins AS (
     INSERT INTO records (form_type, year, department, project, data, document_id, form_index, content_hash, filing_key, warnings)
     SELECT form_type, CASE WHEN data->>'year' ~ '^[0-9]{1,4}$' THEN (data->>'year')::int END,
            department, project, data, document_id, form_index, hash, filing_key, warnings
     FROM firsts
     RETURNING id, form_type, content_hash, document_id, warnings, form_index
   ), versions AS (
     INSERT INTO record_versions (record_id, version, origin, changes, warnings, document_id, form_index)
     SELECT id, 1, 'import', '[]'::jsonb, warnings, document_id, form_index FROM ins
   ), src AS (
     INSERT INTO record_sources (document_id, form_index, record_id, version, file)
     SELECT k.document_id, k.form_index, COALESCE(k.record_id, i.id), COALESCE(k.record_version, 1), k.file
     FROM known k LEFT JOIN ins i ON k.record_id IS NULL AND i.form_type = k.form_type AND i.content_hash = k.hash
     ON CONFLICT DO NOTHING
   ), docs AS (
     SELECT (x->>'itemId')::bigint AS item_id, (x->>'documentId')::bigint AS document_id,
            (x->>'recordCount')::int AS record_count, x->'warnings' AS warnings,
            x->'updatedRecords' AS updated_records, (x->>'first')::boolean AS first
     FROM jsonb_array_elements($2::jsonb) AS x
   ), added AS (
     -- a document that came twice in one call counts its new records once, for its first item
     SELECT d.item_id, CASE WHEN d.first THEN (SELECT count(*) FROM ins WHERE ins.document_id = d.document_id)
                            ELSE 0 END::int AS n
     FROM docs d
   ), doc AS (
     UPDATE documents SET parsed_at = now(), form_count = d.record_count, warnings = d.warnings,
            error_code = NULL, error_message = NULL
     FROM docs d WHERE documents.id = d.document_id AND d.first AND documents.id = ANY($3::bigint[])
   ), item AS (
     UPDATE batch_items b SET status = 'done', record_count = d.record_count, new_records = a.n,
            updated_records = d.updated_records, error_code = NULL, reason = NULL, finished_at = now()
     FROM docs d JOIN added a USING (item_id)
     WHERE b.id = d.item_id AND b.id = ANY($4::bigint[]) AND b.status <> 'done'
   )
   SELECT 'item' AS kind, item_id::bigint AS id, n FROM added
   UNION ALL SELECT 'new', id, 0 FROM ins`,
);

/**
 * Flags new records of filings stored before. Per new record, a lateral aggregate over the index
 * (filing_key, id): a join here was planned as a sequential scan of all records for every job
 * (migration 007).
 */
const FLAG_DUPLICATES = prepared(
  'flag-possible-duplicates',
  `WITH dup AS (
     SELECT n.id, n.form_type, o.others, o.names
     FROM records n CROSS JOIN LATERAL (
       SELECT jsonb_agg(o.id ORDER BY o.id) AS others, string_agg(o.id::text, ', ' ORDER BY o.id) AS names
       FROM records o WHERE o.filing_key = n.filing_key AND o.id < n.id
     ) o
     WHERE n.id = ANY($1::bigint[]) AND o.others IS NOT NULL
   ), w AS (
     SELECT id, jsonb_build_array(jsonb_build_object(
       'code', '${RECORD_WARNING}',
       'message', 'the same filing (form type, ' || COALESCE($2::jsonb->>form_type, '') || ') as record ' || names
                  || ', with different content: check which one stands',
       'path', NULL, 'location', NULL, 'records', others)) AS warning
     FROM dup
   ), v AS (
     UPDATE record_versions SET warnings = record_versions.warnings || w.warning FROM w
     WHERE record_versions.record_id = w.id AND record_versions.version = 1
   )
   UPDATE records SET warnings = records.warnings || w.warning FROM w WHERE records.id = w.id`,
);
