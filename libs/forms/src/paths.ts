export function getPath(obj: Record<string, unknown>, path: string): unknown {
  if (path.indexOf('.') < 0) return obj[path];
  let cur: unknown = obj;
  for (const part of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[part];
  }
  return cur;
}

export function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  if (path.indexOf('.') < 0) {
    obj[path] = value;
    return;
  }
  const parts = path.split('.');
  let cur = obj;
  for (const part of parts.slice(0, -1)) {
    if (typeof cur[part] !== 'object' || cur[part] === null) cur[part] = {};
    cur = cur[part] as Record<string, unknown>;
  }
  cur[parts[parts.length - 1]] = value;
}

/**
 * Every concrete path a pattern names, with its value: `[]` stands for each item of a list,
 * `*` for each key of an object (`indicators[].score`, `funds.*.executionRate`).
 */
export function expandPath(
  obj: Record<string, unknown>,
  pattern: string,
): Array<{ path: string; value: unknown }> {
  let out: Array<{ path: string; value: unknown }> = [{ path: '', value: obj }];
  for (const raw of pattern.split('.')) {
    const list = raw.endsWith('[]');
    const part = list ? raw.slice(0, -2) : raw;
    const next: Array<{ path: string; value: unknown }> = [];
    for (const { path, value } of out) {
      if (value === null || typeof value !== 'object') continue;
      const rec = value as Record<string, unknown>;
      const keys = part === '*' ? Object.keys(rec) : [part];
      for (const k of keys) {
        const p = path ? `${path}.${k}` : k;
        if (!list) next.push({ path: p, value: rec[k] });
        else if (Array.isArray(rec[k]))
          (rec[k] as unknown[]).forEach((v, i) => next.push({ path: `${p}[${i}]`, value: v }));
      }
    }
    out = next;
  }
  return out;
}
