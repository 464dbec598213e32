import { Database, Queryable, prepared } from '../database';
import { JsonObject, NewDocument } from '../storage.types';

export class DocumentRepository {
  constructor(private readonly db: Database) {}

  /** Which of these hashes are already stored. */
  async existing(sha256s: readonly string[], tx: Queryable = this.db): Promise<Set<string>> {
    if (!sha256s.length) return new Set();
    const rows = await tx.query<{ sha256: string }>(EXISTING, [sha256s]);
    return new Set(rows.map((r) => r.sha256));
  }

  /** Stores each document once by SHA-256 and returns the id of every hash given. */
  async insertMany(docs: readonly NewDocument[], tx: Queryable = this.db): Promise<Map<string, number>> {
    const ids = new Map<string, number>();
    if (!docs.length) return ids;
    const unique = [...new Map(docs.map((d) => [d.sha256, d])).values()];
    // The INSERT's RETURNING gives the new rows, the join the rows that were there before.
    const rows = await tx.query<{ id: number; sha256: string }>(INSERT_DOCUMENTS, [
      unique.map((d) => d.sha256),
      unique.map((d) => d.byteSize),
      unique.map((d) => d.format),
      unique.map((d) => d.name),
    ]);
    for (const r of rows) ids.set(r.sha256, r.id);
    return ids;
  }

  /** Remembers that these bytes can never be parsed, so a re-import fails at once. */
  async markUnreadable(documentId: number, code: string, message: string): Promise<void> {
    await this.db.query(`UPDATE documents SET error_code = $2, error_message = $3 WHERE id = $1`, [
      documentId,
      code,
      message,
    ]);
  }

  async warnings(documentId: number): Promise<JsonObject[]> {
    const [row] = await this.db.query<{ warnings: JsonObject[] | null }>(
      `SELECT warnings FROM documents WHERE id = $1`,
      [documentId],
    );
    return row?.warnings ?? [];
  }
}

const EXISTING = prepared(
  'existing-documents',
  `SELECT sha256 FROM documents WHERE sha256 = ANY($1::text[])`,
);

/** One array per column, as the items' inserts (BatchRepository): prepared once per connection. */
const INSERT_DOCUMENTS = prepared(
  'insert-documents',
  `WITH input (sha256, byte_size, format, name) AS (
     SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[])
   ), ins AS (
     INSERT INTO documents (sha256, byte_size, format, name) SELECT * FROM input
     ON CONFLICT (sha256) DO NOTHING RETURNING id, sha256
   )
   SELECT id, sha256 FROM ins
   UNION ALL
   SELECT d.id, d.sha256 FROM documents d JOIN input USING (sha256)`,
);
