import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { BenchDatabase } from './bench-database';
import { startWorker, writeFiles } from './bulk.bench';
import { CLI } from './paths';
import { Child, sleep } from './processes';

/**
 * `npm run bench -- --soak` (issue 10): a long batch — 50,000 one-form files by default —
 * imported and then exported with two worker processes (the command's own and one `formbridge
 * worker`), with the RSS of every process and Redis's memory sampled throughout. Nothing may be
 * lost (exactly N records, N files), and memory must stay flat: a batch is streamed, jobs hold
 * ids only, completed jobs are trimmed. A benchmark, not a test: it reports, it never fails.
 */

export interface SoakOptions {
  forms: number;
  postgresUrl: string;
  redisUrl: string;
  log: (line: string) => void;
}

export interface SoakSample {
  phase: 'import' | 'export';
  seconds: number;
  done: number;
  rssMB: Record<string, number>;
  redisMB: number;
}

export interface SoakPhase {
  phase: 'import' | 'export';
  seconds: number;
  exitCode: number | null;
  /** Records stored (import) or .docx files written (export): must be exactly `forms`. */
  count: number;
  ok: boolean;
  /** Per process and for Redis: median of the samples at 25–50 % of the batch against 75–100 %. */
  growth: Array<{ what: string; earlyMB: number; lateMB: number; peakMB: number; flat: boolean }>;
}

export interface SoakResult {
  forms: number;
  phases: SoakPhase[];
  samples: SoakSample[];
  ok: boolean;
}

const SAMPLE_MS = 2000;
const round1 = (n: number) => Math.round(n * 10) / 10;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor((s.length - 1) / 2)] : 0;
};

async function redisUsedMB(redis: Redis): Promise<number> {
  const info = await redis.info('memory');
  return Number(/used_memory:(\d+)/.exec(info)?.[1] ?? 0) / 2 ** 20;
}

/** Growth of one series between the middle and the end of the batch; "flat" within 15 % or 25 MB. */
function growthOf(
  what: string,
  samples: SoakSample[],
  forms: number,
  value: (s: SoakSample) => number | undefined,
) {
  const pick = (from: number, to: number) =>
    samples
      .filter((s) => s.done >= from * forms && s.done <= to * forms)
      .map(value)
      .filter((v): v is number => v !== undefined);
  const early = median(pick(0.25, 0.5));
  const late = median(pick(0.75, 1));
  const peak = Math.max(0, ...samples.map(value).filter((v): v is number => v !== undefined));
  return {
    what,
    earlyMB: round1(early),
    lateMB: round1(late),
    peakMB: round1(peak),
    flat: late - early <= Math.max(25, early * 0.15),
  };
}

async function phase(
  name: 'import' | 'export',
  cli: Child,
  workers: Child[],
  redis: Redis,
  forms: number,
  progress: () => Promise<number>,
  samples: SoakSample[],
  log: (line: string) => void,
): Promise<Omit<SoakPhase, 'count' | 'ok'>> {
  const own: SoakSample[] = [];
  let lastLogged = 0;
  while (cli.alive) {
    const rssMB: Record<string, number> = {};
    for (const c of [cli, ...workers]) {
      const s = c.sample();
      if (s) rssMB[c.role] = round1(s.rssMB);
    }
    const sample: SoakSample = {
      phase: name,
      seconds: round1(cli.seconds),
      done: await progress().catch(() => -1),
      rssMB,
      redisMB: round1(await redisUsedMB(redis).catch(() => 0)),
    };
    if (sample.done >= 0) own.push(sample);
    if (sample.done - lastLogged >= forms / 10) {
      lastLogged = sample.done;
      log(`${name}: ${sample.done}/${forms}, RSS ${JSON.stringify(rssMB)}, Redis ${sample.redisMB} MB`);
    }
    await Promise.race([cli.exited, sleep(SAMPLE_MS)]);
  }
  const exitCode = await cli.exited;
  samples.push(...own);
  const growth = [
    ...[cli, ...workers].map((c) => growthOf(c.role, own, forms, (s) => s.rssMB[c.role])),
    growthOf('Redis used_memory', own, forms, (s) => s.redisMB),
  ];
  return { phase: name, seconds: round1(cli.seconds), exitCode, growth };
}

export async function benchSoak(options: SoakOptions): Promise<SoakResult> {
  const { forms, log } = options;
  const tmp = mkdtempSync(join(tmpdir(), 'formbridge-soak-'));
  const db = new BenchDatabase(options.postgresUrl, options.redisUrl, 'formbridge_soak');
  const redis = new Redis(options.redisUrl, { maxRetriesPerRequest: 3 });
  const samples: SoakSample[] = [];
  const phases: SoakPhase[] = [];
  const workers: Child[] = [];
  try {
    const filesDir = join(tmp, 'submissions');
    log(`soak: writing ${forms} generated one-form files`);
    writeFiles(filesDir, forms);
    const storage = await db.fresh();
    const done = (kind: 'import' | 'export') => async () => {
      const [row] = await storage.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM batch_items i JOIN batches b ON b.id = i.batch_id
          WHERE b.kind = $1 AND i.status <> 'pending'`,
        [kind],
      );
      return row?.n ?? 0;
    };

    workers.push(await startWorker('parse,generate', db, tmp));
    log('soak: import, two worker processes');
    const importCli = new Child('formbridge import', [CLI, 'import', filesDir, '--compact'], db.env(), tmp);
    const imported = await phase('import', importCli, workers, redis, forms, done('import'), samples, log);
    const records = await db.recordCount();
    phases.push({ ...imported, count: records, ok: imported.exitCode === 0 && records === forms });

    log('soak: export, two worker processes');
    const out = join(tmp, 'export');
    const exportCli = new Child(
      'formbridge export',
      [CLI, 'export', '--out', out, '--compact'],
      db.env(),
      tmp,
    );
    const exported = await phase('export', exportCli, workers, redis, forms, done('export'), samples, log);
    const files = existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.docx')).length : 0;
    phases.push({ ...exported, count: files, ok: exported.exitCode === 0 && files === forms });
  } finally {
    for (const w of workers) await w.stop();
    redis.disconnect();
    await db.drop().catch((err: Error) => log(`could not drop the soak database: ${err.message}`));
    rmSync(tmp, { recursive: true, force: true });
  }
  return { forms, phases, samples, ok: phases.every((p) => p.ok && p.growth.every((g) => g.flat)) };
}

export function renderSoak(r: SoakResult): string {
  const lines = [`Soak: ${r.forms} one-form files imported, then exported, with two worker processes`];
  for (const p of r.phases) {
    lines.push(
      `${p.phase}: ${p.seconds} s, exit ${p.exitCode}, ${p.count} ${p.phase === 'import' ? 'records stored' : 'files written'} (expected exactly ${r.forms}) — ${p.ok ? 'nothing lost' : 'MISSED'}`,
    );
    lines.push('  memory (MB)                         25–50 %   75–100 %   peak   flat');
    for (const g of p.growth)
      lines.push(
        `  ${g.what.padEnd(34)} ${String(g.earlyMB).padStart(7)} ${String(g.lateMB).padStart(10)} ${String(g.peakMB).padStart(6)}   ${g.flat ? 'yes' : 'NO'}`,
      );
  }
  lines.push(`soak: ${r.ok ? 'ok — nothing lost, memory flat' : 'MISSED'}`);
  return lines.join('\n');
}
