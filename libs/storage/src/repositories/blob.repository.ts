import { Blob } from '../blob-store';
import { Database, Queryable, valuesList, withGenericPlans } from '../database';

/** Keeps one INSERT statement to a few megabytes of parameters. */
const MAX_STATEMENT_BYTES = 8 * 1024 * 1024;

export class BlobRepository {
  constructor(private readonly db: Database) {}

  /**
   * Stores the blobs (those already stored stay as they are), within `tx` or a transaction of its
   * own, planned generically (see withGenericPlans: an INSERT of files is planned the same
   * whatever their bytes).
   */
  async putMany(blobs: readonly Blob[], tx?: Queryable): Promise<void> {
    if (!blobs.length) return;
    if (!tx) return this.db.transaction((own) => this.putMany(blobs, own));
    await withGenericPlans(tx, () => this.insert(blobs, tx));
  }

  private async insert(blobs: readonly Blob[], tx: Queryable): Promise<void> {
    let chunk: Blob[] = [];
    let size = 0;
    const flush = async () => {
      if (!chunk.length) return;
      const { sql, params } = valuesList(chunk.map((b) => [b.sha256, b.bytes]));
      await tx.query(
        `INSERT INTO blobs (sha256, content) VALUES ${sql} ON CONFLICT (sha256) DO NOTHING`,
        params,
      );
      chunk = [];
      size = 0;
    };
    for (const blob of blobs) {
      if (chunk.some((b) => b.sha256 === blob.sha256)) continue;
      chunk.push(blob);
      size += blob.bytes.length;
      if (size >= MAX_STATEMENT_BYTES || chunk.length >= 1000) await flush();
    }
    await flush();
  }

  async getMany(sha256s: readonly string[]): Promise<Uint8Array[]> {
    const rows = await this.db.query<{ sha256: string; content: Uint8Array }>(
      `SELECT sha256, content FROM blobs WHERE sha256 = ANY($1::text[])`,
      [sha256s],
    );
    const bySha = new Map(rows.map((r) => [r.sha256, r.content]));
    return sha256s.map((s) => {
      const content = bySha.get(s);
      if (!content) throw new Error(`stored bytes ${s} are missing`);
      return content;
    });
  }

  async get(sha256: string): Promise<Uint8Array> {
    const [row] = await this.db.query<{ content: Uint8Array }>(
      `SELECT content FROM blobs WHERE sha256 = $1`,
      [sha256],
    );
    if (!row) throw new Error(`stored bytes ${sha256} are missing`);
    return row.content;
  }

  /** Checked again in the same statement: bytes a submission or an output took meanwhile stay. */
  async deleteMany(sha256s: readonly string[]): Promise<number> {
    if (!sha256s.length) return 0;
    const [row] = await this.db.query<{ freed: number }>(
      `WITH gone AS (
         DELETE FROM blobs b WHERE b.sha256 = ANY($1::text[])
            AND NOT EXISTS (SELECT 1 FROM documents d WHERE d.sha256 = b.sha256)
            AND NOT EXISTS (SELECT 1 FROM batch_items i WHERE i.output_sha256 = b.sha256)
            AND NOT EXISTS (SELECT 1 FROM batch_items i WHERE i.pdf_sha256 = b.sha256)
         RETURNING octet_length(b.content) AS n)
       SELECT COALESCE(sum(n), 0)::float8 AS freed FROM gone`,
      [sha256s],
    );
    return row?.freed ?? 0;
  }
}
