import { Database, quoteIdent } from './database';
import { MIGRATIONS, Migration } from './migrations';

/**
 * Brings the schema up to date. Services that start together take turns on an advisory lock
 * (per schema), so each migration runs exactly once.
 */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query(`SELECT pg_advisory_xact_lock(hashtext($1))`, [`formbridge-migrate:${db.schema}`]);
    await tx.exec(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(db.schema)}`);
    await tx.exec(
      `CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const done = new Set(
      (await tx.query<{ id: string }>(`SELECT id FROM schema_migrations`)).map((r) => r.id),
    );
    const applied: string[] = [];
    for (const m of migrations) {
      if (done.has(m.id)) continue;
      await tx.exec(m.sql);
      await tx.query(`INSERT INTO schema_migrations (id) VALUES ($1)`, [m.id]);
      applied.push(m.id);
    }
    return applied;
  });
}
