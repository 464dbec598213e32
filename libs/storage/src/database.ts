/**
 * A statement that every job of a bulk command runs: on a PostgreSQL server it is prepared once
 * per connection under its name, and the server neither parses nor plans it again on each call
 * (after five calls it keeps a generic plan where that costs no more than planning afresh). An
 * import of 10,000 files ran each of them about 100 times, and parsing and planning them anew took
 * about 0.65 of the server's 3.7–3.9 CPU-seconds (docs/bench.md, "Tenth look"). Only for text
 * that never changes: each name is one statement for the life of a connection.
 */
export interface PreparedStatement {
  readonly name: string;
  readonly text: string;
}

const preparedNames = new Map<string, string>();

/** Declares a prepared statement; a name stands for one text only. */
export function prepared(name: string, text: string): PreparedStatement {
  const known = preparedNames.get(name);
  if (known !== undefined && known !== text) throw new Error(`prepared statement ${name} declared twice`);
  preparedNames.set(name, text);
  return { name, text };
}

/** The statement's SQL, prepared or not. */
export function sqlText(sql: string | PreparedStatement): string {
  return typeof sql === 'string' ? sql : sql.text;
}

/** What repositories need from a connection: parameterised queries, and scripts for migrations. */
export interface Queryable {
  query<T extends object = Record<string, unknown>>(
    sql: string | PreparedStatement,
    params?: readonly unknown[],
  ): Promise<T[]>;
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
