import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './paths';

type Rec = Record<string, unknown>;

/** A small seeded PRNG (mulberry32): the same seed gives the same batch on every run. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const cents = (n: number) => (n / 100).toFixed(2);
const pad2 = (n: number) => String(n).padStart(2, '0');

/**
 * Records for the bulk benchmark: the four golden seed records (both form types) with their
 * names, amounts, years, dates and indicator values varied, so no two generated files are alike
 * and each still passes the contract and the form's checks (budget parts add up, schedules run
 * forward in their year). Every text comes from the golden records plus numbers.
 */
export class VariedRecords {
  private readonly bases: Rec[];

  constructor(seed = 5) {
    const dir = join(ROOT, 'fixtures', 'golden');
    this.bases = readdirSync(dir)
      // The benchmark's batches vary the seed forms (the forms its targets were set on).
      .filter((f) => f.startsWith('seed-') && f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Rec);
    this.seed = seed;
  }

  private readonly seed: number;

  /** The i-th record of the batch (0-based); the same i always gives the same record. */
  at(i: number): Rec {
    const rnd = prng(this.seed * 1_000_003 + i);
    const int = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
    const r = structuredClone(this.bases[i % this.bases.length]);
    const year = 2012 + (i % 14);
    const n = i + 1;
    r.year = year;
    r.departmentName = `${String(r.departmentName)}${int(1, 99)}`;
    const startMonth = int(1, 6);
    const endMonth = int(startMonth + 1, 12);
    if (r.filledBy !== undefined) r.filledBy = null;
    if (r.filledOn !== undefined) r.filledOn = `${year}-${pad2(int(1, 12))}-${pad2(int(1, 28))}`;
    if (r.phone !== undefined) r.phone = `0734-${int(2000000, 8999999)}`;
    if (r.formType === 'special-fund-performance-target') {
      r.projectName = `${String(r.projectName)}${n}`;
      r.totalFunds = cents(int(100, 500_000_00));
      r.projectAttribute = rnd() < 0.7 ? 'continuing' : 'new';
      r.schedule = (r.schedule as Rec[]).map((s) => ({
        ...s,
        start: `${year}-${pad2(startMonth)}`,
        end: `${year}-${pad2(endMonth)}`,
      }));
      r.indicators = (r.indicators as Rec[]).map((ind) => ({ ...ind, value: `${int(60, 100)}%` }));
    } else {
      const parts = [int(0, 900_000_00), int(0, 50_000_00), int(0, 10_000_00), int(0, 10_000_00)];
      const total = parts.reduce((a, b) => a + b, 0);
      const basic = int(0, total);
      r.budget = {
        total: cents(total),
        byIncome: {
          publicFinance: cents(parts[0]),
          governmentFund: cents(parts[1]),
          nonTaxSpecialAccount: cents(parts[2]),
          other: cents(parts[3]),
        },
        byExpenditure: { basic: cents(basic), project: cents(total - basic) },
      };
      const indicators = r.indicators as { output: string[]; effect: string[] };
      indicators.output = [
        ...indicators.output.slice(0, -1),
        `${indicators.output[indicators.output.length - 1]}${n}`,
      ];
    }
    return r;
  }
}
