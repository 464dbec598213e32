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

/**
 * Last year's record as next year's starting point (`export --as-year N`):
 * - `year` becomes N;
 * - what belongs to the old filing is cleared: every review's opinion and date (the reviewing
 *   authorities stay, so the blank review rows are still drawn) and the filing date `filledOn`;
 * - a special fund's planned schedule moves by the same number of years, and the fund becomes a
 *   continuing one (`projectAttribute: "continuing"`), since it was filed the year before;
 * - everything else (names, duties, goals, indicators, amounts, contacts) is kept as the draft
 *   the department edits.
 */
export function rollForward(record: Json, toYear: number): Json {
  const fromYear = typeof record.year === 'number' ? record.year : toYear;
  const years = toYear - fromYear;
  const next: Json = { ...record, year: toYear, filledOn: null };
  if (Array.isArray(record.reviews)) {
    next.reviews = (record.reviews as Json[]).map((r) => ({ ...r, opinion: null, date: null }));
  }
  if (Array.isArray(record.schedule)) {
    next.schedule = (record.schedule as Json[]).map((s) => ({
      ...s,
      start: shiftYears(s.start, years),
      end: shiftYears(s.end, years),
    }));
  }
  if ('projectAttribute' in record) next.projectAttribute = 'continuing';
  return next;
}
