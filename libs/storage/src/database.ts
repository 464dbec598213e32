/** What repositories need from a connection: parameterised queries, and scripts for migrations. */
export interface Queryable {
  query<T extends object = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

/**
 * One database, either a PostgreSQL server (`pg` pool) or the embedded PGlite. Both speak the
 * same SQL; bigint ids come back as JS numbers from both, bytea as Uint8Array, jsonb parsed.
 */
export interface Database extends Queryable {
  readonly kind: 'postgres' | 'pglite';
  readonly schema: string;
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Quotes an identifier that config validation already restricted to [a-z0-9_]. */
export function quoteIdent(name: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`not a safe SQL identifier: ${name}`);
  return `"${name}"`;
}

/** `($1,$2),($3,$4)…` for a multi-row VALUES list, with the flattened parameters. */
export function valuesList(
  rows: readonly (readonly unknown[])[],
  casts: readonly string[] = [],
): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const cells = row.map((value, i) => {
      params.push(value);
      return `$${params.length}${casts[i] ? `::${casts[i]}` : ''}`;
    });
    return `(${cells.join(',')})`;
  });
  return { sql: tuples.join(','), params };
}
