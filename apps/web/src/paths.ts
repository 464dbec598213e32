/** Record paths as the API writes them (`$.budget.total`, `$.indicators[2].value`), read and written. */

export type Segment = string | number;

export function parsePath(path: string): Segment[] {
  const segs: Segment[] = [];
  for (const m of path.replace(/^\$\.?/, '').matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    segs.push(m[2] !== undefined ? Number(m[2]) : m[1]);
  }
  return segs;
}

export function formatPath(segs: Segment[]): string {
  return segs.map((s, i) => (typeof s === 'number' ? `[${s}]` : i ? `.${s}` : s)).join('');
}

/** The page's own form of a path: no `$.` in front. */
export function normalisePath(path: string | null | undefined): string {
  return path ? formatPath(parsePath(path)) : '';
}

export function getAt(obj: unknown, path: string | Segment[]): unknown {
  let cur = obj;
  for (const s of typeof path === 'string' ? parsePath(path) : path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string | number, unknown>)[s];
  }
  return cur;
}

/** A copy of `obj` with the value at `path` replaced (objects and arrays on the way are copied). */
export function setAt<T>(obj: T, path: string | Segment[], value: unknown): T {
  const segs = typeof path === 'string' ? parsePath(path) : path;
  if (!segs.length) return value as T;
  const [head, ...rest] = segs;
  const base = (obj ?? (typeof head === 'number' ? [] : {})) as Record<string | number, unknown>;
  const copy = (Array.isArray(base) ? [...base] : { ...base }) as Record<string | number, unknown>;
  copy[head] = setAt(base[head], rest, value);
  return copy as T;
}

/** Every leaf (scalar or empty container) of a record, by path. */
export function leaves(
  obj: unknown,
  prefix: Segment[] = [],
  out = new Map<string, unknown>(),
): Map<string, unknown> {
  if (Array.isArray(obj) && obj.length) obj.forEach((v, i) => leaves(v, [...prefix, i], out));
  else if (obj && typeof obj === 'object' && !Array.isArray(obj) && Object.keys(obj).length)
    for (const [k, v] of Object.entries(obj)) leaves(v, [...prefix, k], out);
  else if (prefix.length) out.set(formatPath(prefix), obj);
  return out;
}

export interface Change {
  path: string;
  before: unknown;
  after: unknown;
}

const OWN_KEYS = new Set(['id', 'version', 'source', 'warnings', 'sources']);

/** Field-level differences between two versions of a record. */
export function diff(before: unknown, after: unknown): Change[] {
  const a = leaves(before);
  const b = leaves(after);
  const changes: Change[] = [];
  for (const path of new Set([...a.keys(), ...b.keys()])) {
    if (OWN_KEYS.has(String(parsePath(path)[0]))) continue;
    const x = a.get(path) ?? null;
    const y = b.get(path) ?? null;
    if (JSON.stringify(x) !== JSON.stringify(y)) changes.push({ path, before: x, after: y });
  }
  return changes;
}
