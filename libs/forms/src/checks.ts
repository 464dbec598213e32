import type { CheckDefinition, FormDefinition } from '@formbridge/definitions';
import type { SourceLocation } from '@formbridge/word';
import { expandPath, getPath } from './paths';
import { ParseWarning, WarningCode } from './warnings';

/** Hundredths as a bigint, so sums of decimal strings are exact. */
function cents(amount: unknown): bigint | undefined {
  if (typeof amount !== 'string') return undefined;
  const m = /^(-?)(\d+)\.(\d{2})$/.exec(amount);
  if (!m) return undefined;
  const v = BigInt(m[2]) * 100n + BigInt(m[3]);
  return m[1] ? -v : v;
}

function format(c: bigint): string {
  const sign = c < 0n ? '-' : '';
  const a = c < 0n ? -c : c;
  return `${sign}${a / 100n}.${(a % 100n).toString().padStart(2, '0')}`;
}

/** The values a part names (`indicators[].score`: each item's), as hundredths. */
function partValues(record: Record<string, unknown>, pattern: string): Array<bigint | undefined> {
  return pattern.includes('[]') || pattern.includes('*')
    ? expandPath(record, pattern).map((x) => (x.value === null ? 0n : cents(x.value)))
    : [cents(getPath(record, pattern))];
}

/**
 * Business rules of a definition. They flag, never reject: a digitised filing is kept whatever
 * it says, and the finding travels with it as a warning.
 */
export function runChecks(
  def: FormDefinition,
  record: Record<string, unknown>,
  recordIndex: number,
  locations: Map<string, SourceLocation>,
  now = new Date(),
  labelWeights: Map<string, string> = new Map(),
): ParseWarning[] {
  const out: ParseWarning[] = [];
  const warn = (code: string, message: string, path: string) =>
    out.push({
      code: code as WarningCode,
      message,
      recordIndex,
      path: `$.${path}`,
      location:
        locations.get(path) ??
        locations.get(path.replace(/\.[^.[]+$/, '')) ??
        locations.get(path.replace(/\[\d+\].*$/, '')) ??
        null,
    });
  for (const check of def.checks) run(check, record, now, labelWeights, warn);
  return out;
}

function run(
  check: CheckDefinition,
  record: Record<string, unknown>,
  now: Date,
  labelWeights: Map<string, string>,
  warn: (code: string, message: string, path: string) => void,
): void {
  switch (check.kind) {
    case 'sum': {
      const total = check.total !== undefined ? cents(getPath(record, check.total)) : cents(check.equals);
      const parts = check.parts.flatMap((p) => partValues(record, p));
      // A sum is only checked when every part is a figure (or blank inside a list).
      if (total === undefined || parts.some((p) => p === undefined)) return;
      const sum = parts.reduce<bigint>((a, b) => a + (b as bigint), 0n);
      if (sum === total) return;
      const named = check.total ?? check.parts[0].replace(/\[\].*$/, '');
      warn(
        check.code ?? WarningCode.SumMismatch,
        check.total !== undefined
          ? `${check.total} is ${format(total)} but ${check.parts.join(' + ')} add up to ${format(sum)}`
          : `${check.parts.join(' + ')} add up to ${format(sum)}, not ${format(total)}`,
        named,
      );
      return;
    }
    case 'order': {
      const list = getPath(record, check.list);
      if (!Array.isArray(list)) return;
      list.forEach((item: Record<string, unknown>, i) => {
        const start = item[check.start];
        const end = item[check.end];
        if (typeof start === 'string' && typeof end === 'string' && start.slice(0, 7) > end.slice(0, 7)) {
          warn(
            WarningCode.ScheduleOrder,
            `${check.list}[${i}] starts (${start}) after it ends (${end})`,
            `${check.list}[${i}].${check.start}`,
          );
        }
      });
      return;
    }
    case 'yearRange': {
      const year = record.year;
      const max = now.getFullYear() + check.maxAhead;
      if (typeof year === 'number' && (year < check.min || year > max)) {
        warn(
          WarningCode.YearOutOfRange,
          `year ${year} is outside the filing years ${check.min}–${max}`,
          'year',
        );
      }
      return;
    }
    case 'ratio': {
      const values = expandPath(record, check.value);
      const nums = expandPath(record, check.numerator);
      const dens = expandPath(record, check.denominator);
      const tolerance = cents(check.tolerance) ?? 1n;
      values.forEach((v, i) => {
        const value = cents(v.value);
        const num = cents(nums[i]?.value);
        const den = cents(dens[i]?.value);
        if (value === undefined || num === undefined || den === undefined || den === 0n) return;
        // value ≈ num / den × factor, in hundredths, rounded half up.
        const scaled = num * BigInt(check.factor) * 100n;
        const expected = (scaled * 2n + den) / (2n * den);
        const diff = value > expected ? value - expected : expected - value;
        if (diff > tolerance)
          warn(
            WarningCode.RatioMismatch,
            `${v.path} is ${format(value)} but ${nums[i].path} ÷ ${dens[i].path} × ${check.factor} is ${format(expected)}`,
            v.path,
          );
      });
      return;
    }
    case 'notAbove': {
      const values = expandPath(record, check.value);
      const limits = expandPath(record, check.limit);
      values.forEach((v, i) => {
        const value = cents(v.value);
        const limit = cents(limits[i]?.value);
        if (value !== undefined && limit !== undefined && value > limit)
          warn(
            WarningCode.AboveLimit,
            `${v.path} is ${format(value)}, above ${limits[i].path} ${format(limit)}`,
            v.path,
          );
      });
      return;
    }
    case 'labelWeight': {
      const list = getPath(record, check.list);
      if (!Array.isArray(list)) return;
      for (const [path, weight] of labelWeights) {
        const m = new RegExp(`^${check.list.replace(/[.[\]]/g, '\\$&')}\\[(\\d+)\\]\\.(\\w+)$`).exec(path);
        if (!m) continue;
        const start = Number(m[1]);
        const key = m[2];
        const group = (list[start] as Record<string, unknown>)?.[key];
        let sum = 0n;
        for (let i = start; i < list.length && (list[i] as Record<string, unknown>)[key] === group; i++) {
          if (i > start && labelWeights.has(`${check.list}[${i}].${key}`)) break;
          sum += cents((list[i] as Record<string, unknown>)[check.column]) ?? 0n;
        }
        const declared = cents(weight);
        if (declared !== undefined && declared !== sum)
          warn(
            WarningCode.WeightMismatch,
            `"${String(group)}" is printed with a weight of ${format(declared)} but its rows' ${check.column} add up to ${format(sum)}`,
            path,
          );
      }
      return;
    }
  }
}
