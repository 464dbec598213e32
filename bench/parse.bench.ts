import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { FormParser, ParsePool, ParseResult } from '@formbridge/forms';
import { ROOT } from './paths';
import { Ratio, Spread, TimingPlan, compare, pairedRatio, scaleSpread } from './timing';

export interface ParseCase {
  name: string;
  file: string;
  bytes: number;
  forms: number;
  /** Whether this case counts towards the headline ratio (the two files issue 5 names). */
  headline: boolean;
  ours: Spread;
  mammoth: Spread;
  oursMsPerForm: number;
  oursFormsPerSecond: number;
  mammothMsPerForm: number;
  /** How many times faster than mammoth on the same bytes (paired repetitions, see pairedRatio). */
  speedup: Ratio;
  /** Timed as a queue worker parses: a job's files on a parse thread, ioredis loaded in the process. */
  inQueueWorker?: boolean;
  /** Our parse gave the expected number of records and no contract violation. */
  check: { ok: boolean; detail: string };
}

interface Case {
  name: string;
  file: string;
  forms: number;
  headline: boolean;
}

const CASES: Case[] = [
  { name: 'one-form submission (Word)', file: 'fixtures/legacy/word/seed-1.docx', forms: 1, headline: true },
  { name: 'four-form seed (Word)', file: 'fixtures/legacy/word/seed-all.docx', forms: 4, headline: true },
  { name: 'four-form seed (WPS)', file: 'fixtures/legacy/wps/seed-all.docx', forms: 4, headline: false },
  {
    name: 'four-form seed (LibreOffice)',
    file: 'fixtures/legacy/libreoffice/seed-all.docx',
    forms: 4,
    headline: false,
  },
];

/** Bytes in memory → validated records, against mammoth.convertToHtml of the same bytes. */
export async function benchParse(plan: TimingPlan, extraPlan: TimingPlan): Promise<ParseCase[]> {
  const parser = new FormParser();
  const out: ParseCase[] = [];
  for (const c of CASES)
    out.push(await parseCase((b) => parser.parseDocx(b), c, c.headline ? plan : extraPlan));
  return out;
}

/**
 * The headline files again, parsed as a queue worker parses them: a parse job's files (JOB_ITEMS
 * of them) handed at once to a ParsePool of one thread, in a process that has loaded ioredis;
 * the time per file includes handing the bytes to the thread and the records back. One thread,
 * as mammoth has one. ioredis 6 declares `class VerbatimString extends String`;
 * once String.prototype is the prototype of another prototype, V8 stops inlining
 * String.prototype.indexOf, charCodeAt and slice in optimised code (the effect parse5 met:
 * https://github.com/inikulin/parse5/issues/1348) in that isolate: the pool's threads are other
 * isolates that never load ioredis. Loading it cannot be undone, so this runs after every other
 * micro-benchmark; mammoth, the baseline, runs in the main thread of the same process.
 */
export async function benchParseAsQueueWorker(plan: TimingPlan): Promise<ParseCase[]> {
  // The queue's module loads BullMQ and ioredis, as a worker's process has.
  const { JOB_ITEMS } = await import('@formbridge/queue');
  const pool = new ParsePool(1);
  try {
    const out: ParseCase[] = [];
    for (const c of CASES.filter((x) => x.headline)) {
      const named = { ...c, name: `${c.name}, as a queue worker (parse thread)`, headline: false };
      const job = (bytes: Uint8Array) =>
        Promise.all(Array.from({ length: JOB_ITEMS }, () => pool.parse(bytes))).then(([first]) => first);
      out.push({ ...(await parseCase(job, named, plan, JOB_ITEMS)), inQueueWorker: true });
    }
    return out;
  } finally {
    await pool.close();
  }
}

type Parse = (bytes: Uint8Array) => ParseResult | Promise<ParseResult>;

/** `filesPerCall`: how many parses of the file one call of `parse` makes (its time is divided). */
async function parseCase(parse: Parse, c: Case, plan: TimingPlan, filesPerCall = 1): Promise<ParseCase> {
  const bytes = readFileSync(join(ROOT, c.file));
  const result = await parse(bytes);
  const violations = result.warnings.filter((w) => w.code === 'contract-violation').length;
  const check = {
    ok: result.records.length === c.forms && violations === 0,
    detail: `${result.records.length} records, ${result.warnings.length} warnings, ${violations} contract violations`,
  };
  const timed = await compare(
    {
      ours: () => parse(bytes),
      mammoth: () => mammoth.convertToHtml({ buffer: bytes }),
    },
    plan,
  );
  const t = { ours: scaleSpread(timed.ours, 1 / filesPerCall), mammoth: timed.mammoth };
  return {
    ...c,
    bytes: bytes.length,
    ours: t.ours,
    mammoth: t.mammoth,
    oursMsPerForm: t.ours.median / c.forms,
    oursFormsPerSecond: (1000 * c.forms) / t.ours.median,
    mammothMsPerForm: t.mammoth.median / c.forms,
    speedup: pairedRatio(t.mammoth, t.ours),
    check,
  };
}
