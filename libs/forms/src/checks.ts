import type { FormDefinition } from '@formbridge/definitions';
import type { SourceLocation } from '@formbridge/word';
import { getPath } from './extract';
import { ParseWarning, WarningCode } from './warnings';

/** Cents as a bigint, so sums of decimal strings are exact. */
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
): ParseWarning[] {
  const out: ParseWarning[] = [];
  const warn = (code: WarningCode, message: string, path: string) =>
    out.push({
      code,
      message,
      recordIndex,
      path: `$.${path}`,
      location: locations.get(path.replace(/\[\d+\].*$/, '')) ?? locations.get(path) ?? null,
    });
  for (const check of def.checks) {
    switch (check.kind) {
      case 'sum': {
        const total = cents(getPath(record, check.total));
        const parts = check.parts.map((p) => cents(getPath(record, p)));
        if (total === undefined || parts.some((p) => p === undefined)) break;
        const sum = parts.reduce<bigint>((a, b) => a + (b as bigint), 0n);
        if (sum !== total) {
          warn(
            WarningCode.SumMismatch,
            `${check.total} is ${format(total)} but ${check.parts.join(' + ')} add up to ${format(sum)}`,
            check.total,
          );
        }
        break;
      }
      case 'order': {
        const list = getPath(record, check.list);
        if (!Array.isArray(list)) break;
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
        break;
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
        break;
      }
    }
  }
  return out;
}
