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

/**
 * Runs `fn` inside the transaction `tx` with its statements planned generically: their values
 * stay parameters instead of being copied into each plan as constants. For statements whose plan
 * never depends on the values, such as a multi-row INSERT of files: planning one with each
 * file's bytes copied in took PostgreSQL's backend 1.8 CPU-seconds per 10,000 files of 8 KB,
 * against 0.8 with generic plans (docs/bench.md, "Eleventh look"). Prepared statements alone do
 * not get there: a server keeps a generic plan only after five custom ones on one connection, and
 * a batch's 80 to 280 inserts are spread over the pool's connections. Not for statements whose
 * best plan depends on the values: the import's storing statements, planned generically, cost
 * the server more. The setting is the transaction's own and goes back when `fn` ends.
 */
export async function withGenericPlans<T>(tx: Queryable, fn: () => Promise<T>): Promise<T> {
  const [{ previous }] = await tx.query<{ previous: string }>(
    `SELECT current_setting('plan_cache_mode') AS previous, set_config('plan_cache_mode', 'force_generic_plan', true)`,
  );
  const result = await fn();
  await tx.query(`SELECT set_config('plan_cache_mode', $1, true)`, [previous]);
  return result;
}

/**
 * `($1,$2),($3,$4)…` for a multi-row VALUES list, with the flattened parameters: for the files'
 * bytes (BlobRepository), which as one array parameter would go to the server as hex text, twice
 * their size (docs/bench.md, "Eleventh look"). Rows of plain values go as one array per column
 * (`unnest`) in a prepared statement instead.
 */
export function valuesList(rows: readonly (readonly unknown[])[]): { sql: string; params: unknown[] } {
  const params: unknown[] = [];
  const tuples = rows.map((row) => {
    const cells = row.map((value) => {
      params.push(value);
      return `$${params.length}`;
    });
    return `(${cells.join(',')})`;
  });
  return { sql: tuples.join(','), params };
}
