import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import mammoth from 'mammoth';
import { FormParser } from '@formbridge/forms';
import { ROOT } from './paths';
import { Ratio, Spread, TimingPlan, compare, pairedRatio } from './timing';

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
  for (const c of CASES) out.push(await parseCase(parser, c, c.headline ? plan : extraPlan));
  return out;
}

/**
 * The one-form case again, in a process that has loaded ioredis, as every queue worker has.
 * ioredis 6 declares `class VerbatimString extends String`; once String.prototype is the
 * prototype of another prototype, V8 stops inlining String.prototype.indexOf, charCodeAt and
 * slice in optimised code (the effect parse5 met: https://github.com/inikulin/parse5/issues/1348),
 * and our XML walk is made of those calls. It cannot be undone, so this runs after every other
 * micro-benchmark, and the benchmark loads the bulk part (and ioredis) only afterwards.
 */
export async function benchParseInWorkerProcess(plan: TimingPlan): Promise<ParseCase> {
  await import('ioredis');
  const c = { ...CASES[0], name: `${CASES[0].name}, ioredis loaded`, headline: false };
  return parseCase(new FormParser(), c, plan);
}

async function parseCase(parser: FormParser, c: Case, plan: TimingPlan): Promise<ParseCase> {
  const bytes = readFileSync(join(ROOT, c.file));
  const result = parser.parseDocx(bytes);
  const violations = result.warnings.filter((w) => w.code === 'contract-violation').length;
  const check = {
    ok: result.records.length === c.forms && violations === 0,
    detail: `${result.records.length} records, ${result.warnings.length} warnings, ${violations} contract violations`,
  };
  const t = await compare(
    {
      ours: () => parser.parseDocx(bytes),
      mammoth: () => mammoth.convertToHtml({ buffer: bytes }),
    },
    plan,
  );
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
