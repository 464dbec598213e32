import { DefinitionRegistry, FormDefinition, definitions } from '@formbridge/definitions';
import { expandPath, getPath, setPath } from '@formbridge/forms';

type Json = Record<string, unknown>;

/** `2019-01` or `2019-01-31` moved by whole years; anything else is left as it is. */
function shiftYears(value: unknown, years: number): unknown {
  if (typeof value !== 'string') return value;
  const m = /^(\d{4})(-\d{2}(?:-\d{2})?)$/.exec(value);
  if (!m) return value;
  let shifted = `${String(Number(m[1]) + years).padStart(4, '0')}${m[2]}`;
  if (shifted.endsWith('-02-29')) shifted = shifted.slice(0, -2) + '28'; // no 29 February in the target year, mostly
  return shifted;
}

/** Sets a concrete path such as `reviews[2].opinion` (what expandPath yields). */
function setConcrete(record: Json, path: string, value: unknown): void {
  const parts = path.split('.');
  let cur: unknown = record;
  for (const part of parts.slice(0, -1)) {
    const m = /^(.*)\[(\d+)\]$/.exec(part);
    cur = m ? ((cur as Json)[m[1]] as unknown[])[Number(m[2])] : (cur as Json)[part];
    if (cur === null || typeof cur !== 'object') return;
  }
  const last = parts[parts.length - 1];
  const m = /^(.*)\[(\d+)\]$/.exec(last);
  if (m) ((cur as Json)[m[1]] as unknown[])[Number(m[2])] = value;
  else (cur as Json)[last] = value;
}

/**
 * A record of one edition as the other edition's record: paths the target renamed (`mapFrom`)
 * move, fields the target lacks are dropped and fields it adds start empty, by the target's
 * own empty record shape. Back into an older edition, which cannot know the renames of the
 * editions after it, the newer edition's `mapFrom` for it applies the other way round.
 */
function mapEdition(record: Json, from: FormDefinition, to: FormDefinition): Json {
  if (from === to) return record;
  const renames =
    to.mapFrom?.[from.edition] ??
    Object.fromEntries(Object.entries(from.mapFrom?.[to.edition] ?? {}).map(([o, n]) => [n, o]));
  const source: Json = structuredClone(record);
  for (const [oldPath, newPath] of Object.entries(renames)) {
    const v = getPath(source, oldPath);
    if (v !== undefined) setPath(source, newPath, v);
  }
  const out: Json = { formType: record.formType, attachmentLabel: record.attachmentLabel, year: record.year };
  for (const f of to.fields) {
    const v = getPath(source, f.path);
    const empty = f.kind === 'grid' && f.as !== 'object' ? [] : f.kind === 'reviews' ? [] : null;
    setPath(out, f.path, v === undefined ? empty : v);
  }
  if (to.attachmentLabel.default !== null && from.attachmentLabel.default !== to.attachmentLabel.default)
    out.attachmentLabel = to.attachmentLabel.default;
  return out;
}

/**
 * Last year's record as year N's starting point (`export --as-year N`), by its definition's
 * `rollForward` rules: `year` becomes N; `clear` paths become null (what belonged to the old
 * filing: review opinions and dates, the filing date); `shiftYears` dates move by the years
 * between (a special fund's schedule); `set` paths take their value (the fund becomes a
 * continuing one). When year N uses another edition of the form, the record is mapped onto it
 * as that edition declares. Everything else is kept as the draft the department edits.
 */
export function rollForward(
  record: Json,
  toYear: number,
  registry: DefinitionRegistry = definitions(),
): Json {
  const fromYear = typeof record.year === 'number' ? record.year : toYear;
  const years = toYear - fromYear;
  const formType = String(record.formType);
  const from = registry.forYear(formType, fromYear);
  const to = registry.forYear(formType, toYear);
  const next: Json = structuredClone(record);
  next.year = toYear;
  const rules = from?.rollForward ?? {};
  for (const pattern of rules.clear ?? []) {
    for (const { path } of expandPath(next, pattern)) setConcrete(next, path, null);
  }
  for (const pattern of rules.shiftYears ?? []) {
    for (const { path, value } of expandPath(next, pattern))
      setConcrete(next, path, shiftYears(value, years));
  }
  for (const [path, value] of Object.entries(rules.set ?? {})) {
    if (getPath(next, path) !== undefined) setPath(next, path, value);
  }
  return from && to ? mapEdition(next, from, to) : next;
}
