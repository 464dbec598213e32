import { createHash } from 'node:crypto';

/**
 * Field-level differences between two versions of a record, and the three-way merge of a
 * returned form. Records are plain JSON: objects compare key by key, arrays index by index, and
 * anything else (strings, numbers, null) is a field. A diff is exact and reversible, so a
 * version can be kept as its diff against the one before and rebuilt from the current data.
 */
export interface FieldChange {
  /** JSON path in the record: `$.budget.total`, `$.indicators[2].value`. */
  path: string;
  /** `add`/`remove`: an array element (or object key) that appeared or went away. */
  op: 'change' | 'add' | 'remove';
  before?: unknown;
  after?: unknown;
}

type Json = unknown;
type Step = string | number;

/**
 * JSON with sorted keys: equal records always give the same text. Built in loops, not
 * `map`/`filter` chains, whose arrays made the generate threads' optimised code be thrown away and
 * compiled again (docs/bench.md, "Thirteenth look"); the text is the same.
 */
export function canonicalJson(value: Json): string {
  if (Array.isArray(value)) {
    let out = '[';
    for (let i = 0; i < value.length; i++)
      out += (i ? ',' : '') + ((canonicalJson(value[i]) as string | undefined) ?? '');
    return `${out}]`;
  }
  if (value !== null && typeof value === 'object') {
    const object = value as Record<string, Json>;
    let out = '{';
    let first = true;
    for (const k of Object.keys(object).sort()) {
      if (object[k] === undefined) continue;
      out += `${first ? '' : ','}${JSON.stringify(k)}:${canonicalJson(object[k])}`;
      first = false;
    }
    return `${out}}`;
  }
  return JSON.stringify(value);
}

/** SHA-256 of a record's canonical JSON: the same normalised content, the same digest. */
export function recordDigest(record: Json): string {
  return createHash('sha256').update(canonicalJson(record)).digest('hex');
}

export function sameJson(a: Json, b: Json): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

const isObject = (v: Json): v is Record<string, Json> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

function pathOf(steps: readonly Step[]): string {
  return `$${steps.map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`)).join('')}`;
}

function stepsOf(path: string): Step[] {
  const steps: Step[] = [];
  const re = /\.([^.[\]]+)|\[(\d+)\]/g;
  for (const m of path.slice(1).matchAll(re)) steps.push(m[1] !== undefined ? m[1] : Number(m[2]));
  return steps;
}

/** What changed from `before` to `after`, field by field. */
export function diffRecords(before: Json, after: Json): FieldChange[] {
  const changes: FieldChange[] = [];
  const walk = (a: Json, b: Json, steps: Step[]) => {
    if (isObject(a) && isObject(b)) {
      const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
      for (const k of keys) {
        if (!(k in b)) changes.push({ path: pathOf([...steps, k]), op: 'remove', before: a[k] });
        else if (!(k in a)) changes.push({ path: pathOf([...steps, k]), op: 'add', after: b[k] });
        else walk(a[k], b[k], [...steps, k]);
      }
      return;
    }
    if (Array.isArray(a) && Array.isArray(b)) {
      const common = Math.min(a.length, b.length);
      for (let i = 0; i < common; i++) walk(a[i], b[i], [...steps, i]);
      for (let i = common; i < b.length; i++)
        changes.push({ path: pathOf([...steps, i]), op: 'add', after: b[i] });
      for (let i = common; i < a.length; i++)
        changes.push({ path: pathOf([...steps, i]), op: 'remove', before: a[i] });
      return;
    }
    if (!sameJson(a, b)) changes.push({ path: pathOf(steps), op: 'change', before: a, after: b });
  };
  walk(before, after, []);
  return changes;
}

function setAt(root: Json, steps: readonly Step[], value: Json, remove: boolean): Json {
  if (steps.length === 0) return remove ? undefined : structuredClone(value);
  const [head, ...rest] = steps;
  if (typeof head === 'number') {
    const arr = Array.isArray(root) ? [...(root as Json[])] : [];
    if (rest.length === 0 && remove) arr.splice(head, 1);
    else arr[head] = setAt(arr[head], rest, value, remove);
    return arr;
  }
  const obj: Record<string, Json> = isObject(root) ? { ...root } : {};
  if (rest.length === 0 && remove) delete obj[head];
  else obj[head] = setAt(obj[head], rest, value, remove);
  return obj;
}

/** `changes` applied to `record` (a copy): what `diffRecords(record, x)` was taken towards. */
export function applyChanges<T>(record: T, changes: readonly FieldChange[]): T {
  let out: Json = record;
  // Removals from the end first, so earlier indexes stay valid; additions in ascending order.
  const removals = changes.filter((c) => c.op === 'remove').reverse();
  for (const c of changes.filter((c) => c.op === 'change')) out = setAt(out, stepsOf(c.path), c.after, false);
  for (const c of removals) out = setAt(out, stepsOf(c.path), undefined, true);
  for (const c of changes.filter((c) => c.op === 'add')) out = setAt(out, stepsOf(c.path), c.after, false);
  return out as T;
}

/** The record before `changes` were made, from the record after them. */
export function revertChanges<T>(record: T, changes: readonly FieldChange[]): T {
  const inverse = changes.map((c): FieldChange => ({
    path: c.path,
    op: c.op === 'add' ? 'remove' : c.op === 'remove' ? 'add' : 'change',
    before: c.after,
    after: c.before,
  }));
  return applyChanges(record, inverse);
}

export interface MergeResult<T> {
  /** The current record with the returned form's changes applied; undefined on conflict. */
  merged?: T;
  /** Paths changed on both sides to different values. */
  conflicts: string[];
  /** The returned form's changes against the version it was generated from. */
  theirs: FieldChange[];
}

/**
 * Where a change reaches: an element added to or removed from an array moves every index after
 * it, so it reaches the whole array; a changed field reaches only itself.
 */
function reach(c: FieldChange): string {
  if (c.op === 'change') return c.path;
  return /\[\d+\]$/.test(c.path) ? c.path.replace(/\[\d+\]$/, '') : c.path;
}

const overlaps = (a: string, b: string) =>
  a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`) || b.startsWith(`${a}.`) || b.startsWith(`${a}[`);

/**
 * Three-way merge of a returned form: `base` is the version the form was generated from,
 * `current` the record now, `returned` what came back. Changes made on one side only are all
 * applied; where both sides changed the same field (or one side reshaped an array the other
 * touched) to different results, nothing is merged and the paths are reported.
 */
export function mergeRecords<T>(base: T, current: T, returned: T): MergeResult<T> {
  const theirs = diffRecords(base, returned);
  const ours = diffRecords(base, current);
  const conflicts = new Set<string>();
  for (const t of theirs) {
    for (const o of ours) {
      if (!overlaps(reach(t), reach(o))) continue;
      const scope = reach(t).length <= reach(o).length ? reach(t) : reach(o);
      const steps = stepsOf(scope);
      if (!sameJson(getAt(returned, steps), getAt(current, steps))) conflicts.add(scope);
    }
  }
  if (conflicts.size) return { conflicts: [...conflicts].sort(), theirs };
  const pending = theirs.filter((t) => !ours.some((o) => overlaps(reach(t), reach(o))));
  return { merged: applyChanges(current, pending), conflicts: [], theirs };
}

function getAt(root: Json, steps: readonly Step[]): Json {
  let v: Json = root;
  for (const s of steps) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, Json>)[s];
  }
  return v;
}
