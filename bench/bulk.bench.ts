import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDocx } from '@formbridge/forms';
import { deleteQueueKeys } from '@formbridge/queue';
import { BenchDatabase } from './bench-database';
import { EmbeddedFolder } from './embedded-folder';
import { CLI, ROOT } from './paths';
import { Child, ThreadCpu, postgresCpuSeconds, waitFor } from './processes';
import { StageBreakdown, stagesFromProfiles } from './stages';
import { VariedRecords } from './varied-records';

export interface ProcessMemory {
  role: string;
  /** Peak RSS over the whole run (kernel maxRSS at exit, or VmHWM before stopping). */
  peakRssMB: number;
  /** RSS when 25 %, 50 % and 100 % of the batch was done: flat means the batch is streamed. */
  rssAtMB: Record<'25%' | '50%' | '100%', number | null>;
}

export interface BulkRun {
  name: string;
  workerProcesses: number;
  /** Wall time from starting the command to its exit, everything included (median of the runs). */
  seconds: number;
  /** Fastest and slowest of the runs, and how many there were. */
  secondsMin: number;
  secondsMax: number;
  runs: number;
  formsPerSecond: number;
  /** What the command itself printed (its JSON summary), trimmed. */
  summary?: Record<string, unknown>;
  memory: ProcessMemory[];
  /**
   * Where the command's CPU went, by thread (its own process and those it started; not the other
   * workers' processes), and the local PostgreSQL server's CPU over the run.
   */
  cpu?: { threads: ThreadCpu; postgres?: number };
  check: { ok: boolean; detail: string };
}

export interface BulkResult {
  forms: number;
  files: { count: number; totalMB: number; generateSeconds: number };
  /**
   * The parser alone on the same files, one thread, bytes in memory (median of the runs: one
   * right before each import on PostgreSQL and each on the embedded database).
   */
  parseAloneSeconds?: number;
  /**
   * Two such parsers side by side, each on half of the files, in two processes: the slower one's
   * time (median of the runs). What this machine's cores parse at best, with nothing else to do.
   */
  parseTwoCoresSeconds?: number;
  /** The generator alone on the same records, one thread, in memory (median, as parseAloneSeconds). */
  generateAloneSeconds?: number;
  /** Two such generators side by side, each on half of the records, in two processes (as above). */
  generateTwoCoresSeconds?: number;
  /**
   * Each ratio's pairs, one per repetition: the run's seconds and those of the parser or generator
   * alone run right before it. This host's speed drifted by a fifth within minutes: a denominator
   * measured a minute or two before (the embedded runs come last) moved a ratio as much as the
   * import did. importOverParse and exportOverGenerate are the median of each pair's quotient.
   */
  paired?: Record<'importPostgres' | 'importEmbedded' | 'exportPostgres' | 'exportEmbedded', PairedRun[]>;
  importOneProcess?: BulkRun;
  importTwoProcesses?: BulkRun;
  exportOneProcess?: BulkRun;
  exportTwoProcesses?: BulkRun;
  /** `formbridge import` / `export` with no DATABASE_URL: the embedded database (PGlite). */
  importEmbedded?: BulkRun;
  exportEmbedded?: BulkRun;
  /** The one-off process that creates a new embedded data folder (the first start), before the import. */
  embeddedInit?: { seconds: number; peakRssMB: number };
  /** What one stored filing costs on disk: database growth over the import ÷ records. */
  bytesPerFiling: { postgres?: number; embedded?: number };
  /**
   * Where the CPU of an import and an export goes, by stage: each run once more under
   * `--cpu-prof`, on PostgreSQL and on the embedded database (bench/stages.ts).
   */
  stages?: StageBreakdown[];
}

/** A run's seconds, and those of the parser or generator alone run right before it. */
export interface PairedRun {
  seconds: number;
  aloneSeconds: number;
}

export interface BulkOptions {
  forms: number;
  /** Times each of the four runs is repeated (median and range reported). */
  repetitions: number;
  postgresUrl: string;
  redisUrl: string;
  embeddedFolder: EmbeddedFolder;
  log: (line: string) => void;
}

interface Sample {
  progress: number;
  rss: Record<string, number>;
}

/**
 * Samples every watched process's RSS and the batch's progress four times a second, so memory
 * can be read off at 25 %, 50 % and 100 % of the batch.
 */
class Watch {
  private readonly samples: Sample[] = [];
  private timer?: NodeJS.Timeout;
  private busy = false;

  constructor(
    private readonly children: Child[],
    private readonly progress: () => Promise<number>,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), 250);
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      const rss: Record<string, number> = {};
      for (const c of this.children) {
        const s = c.sample();
        if (s) rss[c.role] = s.rssMB;
      }
      const progress = await this.progress().catch(() => -1);
      if (progress >= 0) this.samples.push({ progress, rss });
    } finally {
      this.busy = false;
    }
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.tick();
  }

  memory(total: number): ProcessMemory[] {
    const at = (fraction: number, role: string) => {
      const s = this.samples.find((x) => x.progress >= fraction * total && x.rss[role] !== undefined);
      return s ? round1(s.rss[role]) : null;
    };
    // The command exits moments after its last form, often between two samples: its last one.
    const end = (role: string) =>
      at(1, role) ??
      this.samples.reduce<number | null>(
        (last, x) => (x.rss[role] === undefined ? last : round1(x.rss[role])),
        null,
      );
    return this.children.map((c) => ({
      role: c.role,
      peakRssMB: round1(c.peakRssMB()),
      rssAtMB: { '25%': at(0.25, c.role), '50%': at(0.5, c.role), '100%': end(c.role) },
    }));
  }
}

const round1 = (n: number) => Math.round(n * 10) / 10;
const round2 = (n: number) => Math.round(n * 100) / 100;

function lastJson(text: string): Record<string, unknown> | undefined {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  try {
    return JSON.parse(text.slice(start)) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/**
 * The bulk part: N one-form files through `formbridge import`, first with the workers of the
 * importing process alone, then with one `formbridge worker` process beside it; then the same
 * for `formbridge export` of every record.
 */
export async function benchBulk(options: BulkOptions): Promise<BulkResult> {
  const { forms, log } = options;
  const tmp = mkdtempSync(join(tmpdir(), 'formbridge-bench-'));
  const db = new BenchDatabase(options.postgresUrl, options.redisUrl);
  const result: BulkResult = {
    forms,
    files: { count: 0, totalMB: 0, generateSeconds: 0 },
    bytesPerFiling: {},
  };
  const workers: Child[] = [];
  const stopWorkers = async () => {
    for (const w of workers.splice(0)) await w.stop();
  };
  const runs: Record<'import1' | 'import2' | 'export1' | 'export2' | 'importE' | 'exportE', BulkRun[]> = {
    import1: [],
    import2: [],
    export1: [],
    export2: [],
    importE: [],
    exportE: [],
  };
  const alone = {
    parse: [] as number[],
    parseTwo: [] as number[],
    generate: [] as number[],
    generateTwo: [] as number[],
  };
  try {
    const filesDir = join(tmp, 'submissions');
    log(`writing ${forms} generated one-form files to ${filesDir}`);
    result.files = writeFiles(filesDir, forms);

    // The parser or generator alone, and two of them side by side on half the work each (the
    // slower half's time).
    const sideBySide = async (args: string[]) =>
      Math.max(...(await Promise.all([0, 1].map((part) => aloneRun([...args, String(part), '2'], tmp)))));
    const paired: NonNullable<BulkResult['paired']> = {
      importPostgres: [],
      importEmbedded: [],
      exportPostgres: [],
      exportEmbedded: [],
    };
    // The parser or generator alone, run right before the import or export it is the denominator
    // of (BulkResult.paired).
    const parseAlone = async () => {
      const seconds = await aloneRun(['parse', filesDir], tmp);
      alone.parse.push(seconds);
      return round2(seconds);
    };
    const generateAlone = async () => {
      const seconds = await aloneRun(['generate', String(forms)], tmp);
      alone.generate.push(seconds);
      return round2(seconds);
    };
    for (let rep = 1; rep <= options.repetitions; rep++) {
      const of = options.repetitions > 1 ? ` (${rep}/${options.repetitions})` : '';
      log(`two parsers and two generators side by side, on half the work each${of}`);
      alone.parseTwo.push(await sideBySide(['parse', filesDir]));
      alone.generateTwo.push(await sideBySide(['generate', String(forms)]));

      // Import 1: the importing CLI and its own workers, nothing else.
      await db.fresh();
      const emptyBytes = await db.sizeBytes();
      log(`the parser alone, then the import with workers of one process${of}`);
      const parsed = await parseAlone();
      runs.import1.push(await importRun('import, 1 worker process', [], db, filesDir, forms, tmp));
      paired.importPostgres.push({ seconds: runs.import1[rep - 1].seconds, aloneSeconds: parsed });
      result.bytesPerFiling.postgres = Math.round(((await db.sizeBytes()) - emptyBytes) / forms);

      // Import 2: a fresh database (the same files would otherwise be recognised by their
      // SHA-256 and not parsed again), the CLI's workers plus one `formbridge worker` process.
      await db.fresh();
      log(`import, workers of two processes${of}`);
      workers.push(await startWorker('parse', db, tmp));
      runs.import2.push(await importRun('import, 2 worker processes', workers, db, filesDir, forms, tmp));
      await stopWorkers();

      // Exports of the records import 2 stored.
      log(`the generator alone, then the export with workers of one process${of}`);
      const generated = await generateAlone();
      runs.export1.push(await exportRun('export, 1 worker process', [], db, forms, tmp));
      paired.exportPostgres.push({ seconds: runs.export1[rep - 1].seconds, aloneSeconds: generated });
      log(`export, workers of two processes${of}`);
      workers.push(await startWorker('generate', db, tmp));
      runs.export2.push(await exportRun('export, 2 worker processes', workers, db, forms, tmp));
      await stopWorkers();

      // The same import and export on the embedded database, as a clerk runs them.
      log(`import and export on the embedded database, each after the parser or generator alone${of}`);
      const embedded = await embeddedRuns(options.embeddedFolder, db, filesDir, forms, tmp, rep, {
        parse: parseAlone,
        generate: generateAlone,
      });
      runs.importE.push(embedded.importRun);
      runs.exportE.push(embedded.exportRun);
      paired.importEmbedded.push({ seconds: embedded.importRun.seconds, aloneSeconds: embedded.parseAlone });
      paired.exportEmbedded.push({
        seconds: embedded.exportRun.seconds,
        aloneSeconds: embedded.generateAlone,
      });
      result.embeddedInit = options.embeddedFolder.firstStart;
      result.bytesPerFiling.embedded = embedded.bytesPerFiling;
    }
    result.paired = paired;
    log('where the CPU goes, by stage: the import and the export once more each, profiled');
    result.stages = await profiledRuns(options.embeddedFolder, db, filesDir, forms, tmp);

    result.parseAloneSeconds = median(alone.parse);
    result.parseTwoCoresSeconds = median(alone.parseTwo);
    result.generateAloneSeconds = median(alone.generate);
    result.generateTwoCoresSeconds = median(alone.generateTwo);
    result.importEmbedded = combine(runs.importE);
    result.exportEmbedded = combine(runs.exportE);
    result.importOneProcess = combine(runs.import1);
    result.importTwoProcesses = combine(runs.import2);
    result.exportOneProcess = combine(runs.export1);
    result.exportTwoProcesses = combine(runs.export2);
  } finally {
    await stopWorkers();
    await db.drop().catch((err: Error) => log(`could not drop the benchmark database: ${err.message}`));
    rmSync(tmp, { recursive: true, force: true });
  }
  return result;
}

const median = (list: number[]) => round1([...list].sort((a, b) => a - b)[Math.floor((list.length - 1) / 2)]);

/** bench/alone.js in a clean process: its own timing of the parser or generator loop, in seconds. */
async function aloneRun(args: string[], tmp: string): Promise<number> {
  const child = new Child('alone', [join(__dirname, 'alone.js'), ...args], {}, tmp);
  const code = await child.exited;
  const out = lastJson(child.stdout());
  if (code !== 0 || typeof out?.seconds !== 'number')
    throw new Error(`bench/alone.js ${args[0]} failed: ${child.stderr().slice(-1000)}`);
  return out.seconds;
}

/**
 * The disk a folder takes: the blocks allocated to its files and to its folders (st_blocks), as
 * PostgreSQL's own size counts whole pages. The files' sizes alone left out the folders, a block
 * each, which the blob folder's older layout made one of per file (docs/bench.md, "Eighth look").
 */
function folderBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    total += statSync(p).blocks * 512 + (e.isDirectory() ? folderBytes(p) : 0);
  }
  return total;
}

/**
 * `formbridge import` and `export` with no DATABASE_URL, into a new embedded data folder. The
 * folder is a copy of one `formbridge records` created (see EmbeddedFolder), as the PostgreSQL
 * runs get a fresh migrated database.
 */
async function embeddedRuns(
  folder: EmbeddedFolder,
  db: BenchDatabase,
  filesDir: string,
  forms: number,
  tmp: string,
  rep: number,
  alone: { parse: () => Promise<number>; generate: () => Promise<number> },
): Promise<{
  importRun: BulkRun;
  exportRun: BulkRun;
  bytesPerFiling: number;
  /** The parser alone, run right before the import; the generator alone, right before the export. */
  parseAlone: number;
  generateAlone: number;
}> {
  const dataDir = join(tmp, `pglite-${rep}`);
  const prefix = `${db.prefix}_emb${rep}`;
  const env = embeddedEnv(db, dataDir, prefix);
  try {
    await folder.copyTo(dataDir, db.redisUrl);
    const emptyBytes = folderBytes(dataDir);
    const parseAlone = await alone.parse();
    const cli = new Child('formbridge import (embedded)', [CLI, 'import', filesDir, '--compact'], env, tmp);
    const run = await watched(cli, [], forms, () => Promise.resolve(0));
    const imported = Number(run.summary?.newRecords ?? -1);
    const importResult = bulkRun('import, embedded database', [], run, imported, {
      summary: ['status', 'files', 'imported', 'failed', 'records', 'newRecords', 'seconds'],
      ok: run.code === 0 && imported === forms,
      detail: `exit ${run.code}; the import stored ${imported} new records (expected exactly ${forms})`,
    });
    const bytesPerFiling = Math.round((folderBytes(dataDir) - emptyBytes) / forms);
    const out = join(tmp, `export-embedded-${rep}`);
    const generateAlone = await alone.generate();
    const ex = new Child(
      'formbridge export (embedded)',
      [CLI, 'export', '--out', out, '--compact'],
      env,
      tmp,
    );
    const exRun = await watched(ex, [], forms, () =>
      Promise.resolve(existsSync(out) ? readdirSync(out).length : 0),
    );
    const files = existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.docx')).length : 0;
    // Kept until the end (see exportRun).
    const exportResult = bulkRun('export, embedded database', [], exRun, files, {
      summary: ['status', 'records', 'written', 'failed', 'seconds'],
      ok: exRun.code === 0 && files === forms,
      detail: `exit ${exRun.code}; ${files} .docx files written (expected exactly ${forms})`,
    });
    return {
      importRun: importResult,
      exportRun: exportResult,
      bytesPerFiling,
      parseAlone,
      generateAlone,
    };
  } finally {
    // The data folder (20,000 files with the outputs) stays until the benchmark's folder goes at
    // the end, as the exports' folders do (see exportRun): deleted here, it slowed the creation
    // of the files of the runs that follow.
    await deleteQueueKeys(db.redisUrl, prefix);
  }
}

/** The settings of a command on the embedded database in `dataDir`, with a queue prefix of its own. */
function embeddedEnv(db: BenchDatabase, dataDir: string, prefix: string): Record<string, string> {
  return {
    DATABASE_URL: '',
    PGLITE_DIR: dataDir,
    REDIS_URL: db.redisUrl,
    QUEUE_PREFIX: prefix,
    LOG_LEVEL: 'warn',
  };
}

/** A sample every 2 ms, half V8's default rate: enough samples for seconds of CPU, less overhead. */
const PROFILE_INTERVAL_US = 2000;

/**
 * The import and the export again, on PostgreSQL and on the embedded database, each under
 * `node --cpu-prof` (a profile per thread), their CPU put in stages (bench/stages.ts). Not timed
 * runs: profiling costs a little, and they run after the timed ones.
 */
async function profiledRuns(
  folder: EmbeddedFolder,
  db: BenchDatabase,
  filesDir: string,
  forms: number,
  tmp: string,
): Promise<StageBreakdown[]> {
  // The CLI runs the build in dist/, whichever way the benchmark itself was started.
  const dist = join(ROOT, 'dist');
  const breakdowns: StageBreakdown[] = [];
  const profiled = async (
    run: string,
    args: string[],
    env: Record<string, string>,
    count: () => Promise<number>,
  ) => {
    const dir = mkdtempSync(join(tmp, 'profiles-'));
    const child = new Child(
      run,
      [
        '--cpu-prof',
        `--cpu-prof-dir=${dir}`,
        `--cpu-prof-interval=${PROFILE_INTERVAL_US}`,
        CLI,
        ...args,
        '--compact',
      ],
      env,
      tmp,
    );
    const done = await watched(child, [], forms, count);
    if (done.code !== 0) throw new Error(`${run} (profiled) failed: ${child.stderr().slice(-1000)}`);
    breakdowns.push({
      run,
      wallSeconds: round1(done.seconds),
      ...stagesFromProfiles(dir, dist, done.cpu.threads, done.cpu.postgres),
    });
    rmSync(dir, { recursive: true, force: true });
  };
  await db.fresh();
  await profiled('import, PostgreSQL', ['import', filesDir], db.env(), () => db.recordCount());
  const before = await db.newestBatchId();
  const out = mkdtempSync(join(tmp, 'export-profiled-'));
  await profiled('export, PostgreSQL', ['export', '--out', out], db.env(), () => db.exportedCount(before));

  const dataDir = join(tmp, 'pglite-profiled');
  const prefix = `${db.prefix}_prof`;
  const env = embeddedEnv(db, dataDir, prefix);
  try {
    await folder.copyTo(dataDir, db.redisUrl);
    await profiled('import, embedded', ['import', filesDir], env, () => Promise.resolve(0));
    const outE = mkdtempSync(join(tmp, 'export-profiled-embedded-'));
    await profiled('export, embedded', ['export', '--out', outE], env, () => Promise.resolve(0));
  } finally {
    await deleteQueueKeys(db.redisUrl, prefix);
  }
  return breakdowns;
}

/**
 * Several runs of one configuration: the median wall time with its range; memory and checks
 * from the worst run (the highest peak RSS of any process; a failed check fails the whole).
 */
function combine(list: BulkRun[]): BulkRun {
  const sorted = [...list].sort((a, b) => a.seconds - b.seconds);
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  const peak = (r: BulkRun) => Math.max(...r.memory.map((m) => m.peakRssMB));
  const worst = list.reduce((a, b) => (peak(b) > peak(a) ? b : a));
  const failed = list.find((r) => !r.check.ok);
  return {
    ...median,
    secondsMin: sorted[0].seconds,
    secondsMax: sorted[sorted.length - 1].seconds,
    runs: list.length,
    memory: worst.memory,
    check: failed ? failed.check : median.check,
  };
}

export function writeFiles(dir: string, count: number): BulkResult['files'] {
  mkdirSync(dir, { recursive: true });
  const records = new VariedRecords();
  const started = performance.now();
  let bytes = 0;
  for (let i = 0; i < count; i++) {
    const docx = generateDocx([records.at(i)]);
    bytes += docx.length;
    writeFileSync(join(dir, `form-${String(i + 1).padStart(5, '0')}.docx`), docx);
  }
  return {
    count,
    totalMB: round1(bytes / 2 ** 20),
    generateSeconds: round1((performance.now() - started) / 1000),
  };
}

/** `formbridge worker --queues <queue>`: workers only, once it says it is consuming. */
export async function startWorker(queue: string, db: BenchDatabase, tmp: string): Promise<Child> {
  const worker = new Child(`formbridge worker (${queue})`, [CLI, 'worker', '--queues', queue], db.env(), tmp);
  await waitFor(
    async () => {
      if (!worker.alive) throw new Error(`formbridge worker exited: ${worker.stderr().slice(-2000)}`);
      return worker.stderr().includes('consuming');
    },
    60_000,
    `formbridge worker --queues ${queue}`,
  );
  return worker;
}

async function importRun(
  name: string,
  workers: Child[],
  db: BenchDatabase,
  dir: string,
  forms: number,
  tmp: string,
): Promise<BulkRun> {
  const cli = new Child('formbridge import', [CLI, 'import', dir, '--compact'], db.env(), tmp);
  const run = await watched(cli, workers, forms, () => db.recordCount());
  const count = await db.recordCount();
  const ok = run.code === 0 && count === forms;
  return bulkRun(name, workers, run, count, {
    summary: ['status', 'files', 'imported', 'failed', 'records', 'newRecords', 'seconds'],
    ok,
    detail: `exit ${run.code}; the database holds ${count} records (expected exactly ${forms})`,
  });
}

async function exportRun(
  name: string,
  workers: Child[],
  db: BenchDatabase,
  forms: number,
  tmp: string,
): Promise<BulkRun> {
  // A folder of its own, kept until the benchmark's folder goes at the end: on this ext4 VM,
  // creating 10,000 files right after deleting 10,000 cost up to 10 s of system time more.
  const out = mkdtempSync(join(tmp, `export-${workers.length + 1}-`));
  const before = await db.newestBatchId();
  const cli = new Child('formbridge export', [CLI, 'export', '--out', out, '--compact'], db.env(), tmp);
  const run = await watched(cli, workers, forms, () => db.exportedCount(before));
  const files = existsSync(out) ? readdirSync(out).filter((f) => f.endsWith('.docx')).length : 0;
  const ok = run.code === 0 && files === forms && run.summary?.written === forms;
  return bulkRun(name, workers, run, files, {
    summary: ['status', 'records', 'written', 'failed', 'seconds'],
    ok,
    detail: `exit ${run.code}; ${files} .docx files written (expected exactly ${forms})`,
  });
}

interface WatchedRun {
  cli: Child;
  code: Awaited<Child['exited']>;
  seconds: number;
  memory: ProcessMemory[];
  summary?: Record<string, unknown>;
  cpu: NonNullable<BulkRun['cpu']>;
}

/** Runs one CLI command to its end beside the workers, sampling progress, memory and CPU. */
async function watched(
  cli: Child,
  workers: Child[],
  forms: number,
  progress: () => Promise<number>,
): Promise<WatchedRun> {
  const postgresBefore = postgresCpuSeconds();
  const watch = new Watch([cli, ...workers], progress);
  watch.start();
  const code = await cli.exited;
  const seconds = cli.seconds;
  await watch.stop();
  const postgresAfter = postgresCpuSeconds();
  const postgres =
    postgresBefore === undefined || postgresAfter === undefined
      ? undefined
      : Math.round((postgresAfter - postgresBefore) * 10) / 10;
  return {
    cli,
    code,
    seconds,
    memory: watch.memory(forms),
    summary: lastJson(cli.stdout()),
    cpu: { threads: cli.cpuByThread(), postgres },
  };
}

/** One timed run as the report shows it; `done` is what the check counted (records or files). */
function bulkRun(
  name: string,
  workers: Child[],
  run: WatchedRun,
  done: number,
  check: { summary: string[]; ok: boolean; detail: string },
): BulkRun {
  return {
    name,
    workerProcesses: 1 + workers.length,
    seconds: round1(run.seconds),
    secondsMin: round1(run.seconds),
    secondsMax: round1(run.seconds),
    runs: 1,
    formsPerSecond: Math.round(done / run.seconds),
    summary: run.summary && pick(run.summary, check.summary),
    memory: run.memory,
    cpu: run.cpu,
    check: {
      ok: check.ok,
      detail: `${check.detail}${check.ok ? '' : `; stderr: ${run.cli.stderr().slice(-500)}`}`,
    },
  };
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}
