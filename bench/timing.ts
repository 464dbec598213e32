/** Timing helpers: warm-up, repetitions, median and spread. */

export interface Spread {
  /** Median of the repetitions, ms per operation. */
  median: number;
  min: number;
  max: number;
  p10: number;
  p90: number;
  repetitions: number;
  /** Operations per repetition. */
  batch: number;
  /** ms per operation of each repetition, in the order they ran. */
  samples: number[];
}

export type Op = () => unknown;

export interface TimingPlan {
  /**
   * Wall time each competitor runs untimed first, so the JIT has compiled its hot paths: a
   * fixed count would leave the fast side cold (V8 optimises after some hundreds of calls).
   */
  warmupMs: number;
  repetitions: number;
  /** Wall time one repetition should take; the batch size is chosen from a probe to match it. */
  repetitionMs: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;

function quantile(sorted: number[], q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
}

export function spreadOf(samples: number[], batch: number): Spread {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    median: quantile(sorted, 0.5),
    min: sorted[0],
    max: sorted[sorted.length - 1],
    p10: quantile(sorted, 0.1),
    p90: quantile(sorted, 0.9),
    repetitions: samples.length,
    batch,
    samples,
  };
}

export interface Ratio {
  /** Median of the per-repetition ratios. */
  median: number;
  p10: number;
  p90: number;
}

/** The same timings per part of an operation: `factor` 1/n when each operation did n things. */
export function scaleSpread(s: Spread, factor: number): Spread {
  const samples = s.samples.map((x) => x * factor);
  return { ...spreadOf(samples, s.batch), repetitions: s.repetitions };
}

/**
 * How many times slower `baseline` is than `ours`, from repetitions that ran side by side:
 * repetition k of each ran within a second of the other, under the same load from whatever
 * else the machine was doing, so the median of the k ratios is steadier than a ratio of medians.
 */
export function pairedRatio(baseline: Spread, ours: Spread): Ratio {
  const r = spreadOf(
    baseline.samples.map((b, k) => b / ours.samples[k]),
    1,
  );
  return { median: r.median, p10: r.p10, p90: r.p90 };
}

async function runBatch(op: Op, n: number): Promise<number> {
  const start = now();
  for (let i = 0; i < n; i++) {
    const r = op();
    // Only the async baselines (mammoth, Packer) return promises; awaiting a sync result would
    // add a microtask per operation to our side, so it is skipped.
    if (r instanceof Promise) await r;
  }
  return (now() - start) / n;
}

/**
 * Times several competitors on the same input, interleaved: repetition k of every competitor
 * runs before repetition k+1 of any, so a burst of load from another process on this shared
 * machine hits all of them alike instead of skewing one side of a ratio.
 */
export async function compare(ops: Record<string, Op>, plan: TimingPlan): Promise<Record<string, Spread>> {
  const names = Object.keys(ops);
  const batch: Record<string, number> = {};
  for (const name of names) {
    const until = now() + plan.warmupMs;
    let probe = await runBatch(ops[name], 3);
    while (now() < until)
      probe = await runBatch(ops[name], Math.max(1, Math.ceil(50 / Math.max(probe, 0.01))));
    batch[name] = Math.max(1, Math.round(plan.repetitionMs / Math.max(probe, 0.001)));
  }
  const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  for (let rep = 0; rep < plan.repetitions; rep++) {
    for (const name of names) samples[name].push(await runBatch(ops[name], batch[name]));
  }
  return Object.fromEntries(names.map((n) => [n, spreadOf(samples[n], batch[n])]));
}
