import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, sep } from 'node:path';
import type { ThreadCpu } from './processes';

/**
 * Where a bulk command's CPU goes, by stage (issue 13): the command is run once more under
 * `node --cpu-prof` (V8 writes one profile per thread: the main thread, every parse, generate and
 * PGlite thread), each sample is put in a stage by its stack, and each thread kind's samples are
 * scaled to the CPU that kind of thread used by /proc, so the stages add up to what the command
 * cost. Threads that run no JavaScript (V8's compilers and collectors, libuv's pool) and the
 * PostgreSQL server are stages of their own, from /proc.
 *
 * A sample goes to the stage of the frame nearest its leaf that names one (FormBridge's own
 * modules by file and function, Node's hashing, module loading, the known libraries); a sample
 * under no such frame is `other` (Node's internals: streams, timers, the event loop's native
 * part). The node-postgres driver's reading of results runs from the socket, with no caller of
 * ours on the stack: it is `databaseDriver`, for every statement alike.
 */
export const STAGES = {
  startup: 'start-up: loading code',
  readingFiles: 'reading the files',
  hashing: 'hashing (SHA-256)',
  storingBytes: "storing the files' bytes (blob store's code, statements)",
  queueing: 'batch items and queueing',
  jobOverhead: 'jobs: BullMQ, ioredis, job handling',
  threadHandoff: 'handing work to threads and back',
  parsing: 'parsing (unzip, XML, forms)',
  validating: 'validating records',
  storingRecords: 'storing records',
  readingRecords: 'reading records to render',
  rendering: 'rendering .docx',
  writingFiles: 'writing files (blob folder, export folder)',
  index: 'the .xlsx index',
  reporting: 'progress and report',
  databaseDriver: 'database driver (pg, PGlite client)',
  database: 'the database (PostgreSQL server, PGlite thread)',
  gc: 'garbage collection (JavaScript threads)',
  helpers: "V8's and libuv's helper threads",
  other: 'other: Node internals, event loop',
} as const;

export type Stage = keyof typeof STAGES;

/** CPU seconds by stage, as one profiled run spent them. */
export interface StageBreakdown {
  /** What ran: `formbridge import` or `export`, on which database. */
  run: string;
  wallSeconds: number;
  cpuSeconds: Partial<Record<Stage, number>>;
  totalCpuSeconds: number;
}

interface Frame {
  fn: string;
  url: string;
  /** Path under the built project (`libs/queue/src/...`), or undefined for code that is not ours. */
  ours?: string;
  /** The npm package the frame's file is in, if any. */
  pkg?: string;
}

type Rule = [Stage, (f: Frame) => boolean];

const oursIn =
  (...prefixes: string[]) =>
  (f: Frame) =>
    !!f.ours && prefixes.some((p) => f.ours?.startsWith(p));
const oursFn = (file: string, fns: RegExp) => (f: Frame) => f.ours === file && fns.test(f.fn);
const pkgIs =
  (...names: string[]) =>
  (f: Frame) =>
    !!f.pkg && names.includes(f.pkg);

/**
 * Looked for from the leaf up: the first frame one of these names decides (rules in order per
 * frame). FormBridge's own stages first, so that a statement sent by the code that stores records
 * counts as storing records, not as the driver it went through.
 */
const OWN: Rule[] = [
  ['hashing', (f) => f.url === 'node:internal/crypto/hash'],
  ['validating', oursIn('libs/contract/src/validate')],
  ['validating', pkgIs('ajv', 'class-validator', 'class-transformer')],
  ['validating', (f) => !f.url && /^validate\d+$/.test(f.fn)],
  ['rendering', oursIn('libs/forms/src/generate/')],
  ['threadHandoff', oursIn('libs/forms/src/pool/')],
  ['parsing', oursIn('libs/word/', 'libs/forms/src/', 'libs/definitions/')],
  [
    'readingFiles',
    oursIn(
      'libs/queue/src/import/local-files',
      'libs/queue/src/import/archive',
      'apps/cli/src/import-sources',
    ),
  ],
  [
    'storingBytes',
    oursIn(
      'libs/storage/src/blob-store',
      'libs/storage/src/repositories/blob.',
      'libs/storage/src/repositories/document.',
    ),
  ],
  ['storingRecords', oursIn('libs/storage/src/repositories/filing-store', 'libs/storage/src/record')],
  ['queueing', oursFn('libs/storage/src/repositories/record.repository.js', /^ids$/)],
  ['storingRecords', oursIn('libs/storage/src/repositories/record.')],
  ['queueing', oursFn('libs/storage/src/repositories/batch.repository.js', /^(create|addItems|seal)$/)],
  ['index', oursFn('libs/storage/src/repositories/batch.repository.js', /^exportRows$/)],
  ['readingRecords', oursFn('libs/storage/src/repositories/batch.repository.js', /^exportItems$/)],
  [
    'reporting',
    oursFn('libs/storage/src/repositories/batch.repository.js', /^(counts|complete|recordTotals|items)$/),
  ],
  ['jobOverhead', oursIn('libs/storage/src/repositories/batch.')],
  ['index', oursIn('libs/queue/src/export/export-index', 'libs/queue/src/export/load-excel')],
  [
    'queueing',
    oursIn('libs/queue/src/batch-queue', 'libs/queue/src/import/', 'libs/queue/src/export/export.service'),
  ],
  [
    'reporting',
    oursIn(
      'libs/queue/src/batch-report',
      'libs/queue/src/jobs/finish-',
      'libs/queue/src/jobs/seal-',
      'apps/cli/src/progress-bar',
    ),
  ],
  [
    'jobOverhead',
    oursIn('libs/queue/src/jobs/', 'libs/queue/src/worker-host', 'libs/queue/src/redis-connection'),
  ],
  ['database', oursIn('libs/storage/src/pglite-thread')],
  ['writingFiles', oursIn('apps/cli/src/commands/export')],
];

/**
 * Then, where no frame is FormBridge's own stage: the file helpers (whose writes resume after a
 * turn of the event loop, without their caller on the stack: the blob folder's and the export's
 * alike), the libraries and Node's parts, by kind.
 */
const GENERIC: Rule[] = [
  ['readingFiles', oursFn('libs/common/src/small-files.js', /read|stat|exists/i)],
  ['writingFiles', oursFn('libs/common/src/small-files.js', /write/i)],
  [
    'jobOverhead',
    pkgIs(
      'bullmq',
      'ioredis',
      '@ioredis/commands',
      'msgpackr',
      'cron-parser',
      'luxon',
      'redis-errors',
      'standard-as-callback',
      'cluster-key-slot',
      'denque',
    ),
  ],
  [
    'databaseDriver',
    oursIn(
      'libs/storage/src/postgres.database',
      'libs/storage/src/pglite.database',
      'libs/storage/src/database',
    ),
  ],
  [
    'databaseDriver',
    pkgIs(
      'pg',
      'pg-protocol',
      'pg-types',
      'pg-pool',
      'postgres-bytea',
      'postgres-array',
      'pg-connection-string',
    ),
  ],
  ['database', (f) => f.pkg === '@electric-sql/pglite' || f.fn.startsWith('wasm-function')],
  ['index', pkgIs('exceljs', 'archiver', 'jszip')],
  ['threadHandoff', (f) => f.fn === 'postMessage' || f.url === 'node:internal/worker'],
];

const LOADING = (f: Frame) => f.url.startsWith('node:internal/modules/') || f.fn === 'wrapSafe';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

type ThreadKind = 'parse' | 'generate' | 'pglite' | 'main';

/** Which kind of thread wrote a profile, by the code that ran in it. */
function threadKind(profile: CpuProfile): ThreadKind {
  for (const n of profile.nodes) {
    const u = n.callFrame.url;
    if (u.endsWith('parse-thread.js')) return 'parse';
    if (u.endsWith('generate-thread.js')) return 'generate';
    if (u.endsWith('pglite-thread.js')) return 'pglite';
  }
  return 'main';
}

function frameOf(node: ProfileNode, distRoot: string): Frame {
  const { functionName: fn, url } = node.callFrame;
  const path = url.startsWith('file://') ? decodeURIComponent(url.slice('file://'.length)) : url;
  const modules = `${sep}node_modules${sep}`;
  const nm = path.lastIndexOf(modules);
  if (nm >= 0) {
    const parts = path.slice(nm + modules.length).split(sep);
    return { fn, url, pkg: parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0] };
  }
  if (path.startsWith(distRoot + sep))
    return {
      fn,
      url,
      ours: path
        .slice(distRoot.length + 1)
        .split(sep)
        .join('/'),
    };
  return { fn, url };
}

function firstStage(frames: Frame[], rules: Rule[]): Stage | undefined {
  for (const f of frames) for (const [stage, test] of rules) if (test(f)) return stage;
  return undefined;
}

/** A profile's sampled milliseconds by stage; `(idle)` left out. */
function stagesOfProfile(profile: CpuProfile, distRoot: string, kind: ThreadKind): Map<Stage, number> {
  const parent = new Map<number, number>();
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) {
    byId.set(n.id, n);
    for (const c of n.children ?? []) parent.set(c, n.id);
  }
  const stageOf = new Map<number, Stage | null>();
  const classify = (leaf: number): Stage | null => {
    const known = stageOf.get(leaf);
    if (known !== undefined) return known;
    const leafName = byId.get(leaf)?.callFrame.functionName;
    let stage: Stage | null;
    if (leafName === '(idle)') stage = null;
    else if (leafName === '(garbage collector)') stage = 'gc';
    else {
      const frames: Frame[] = [];
      for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id)) {
        const node = byId.get(id);
        if (node) frames.push(frameOf(node, distRoot));
      }
      if (frames.some(LOADING)) stage = 'startup';
      else {
        stage = firstStage(frames, OWN) ?? firstStage(frames, GENERIC) ?? 'other';
        // The forms' definitions and layout serve the generator as well as the parser.
        if (stage === 'parsing' && kind === 'generate') stage = 'rendering';
      }
    }
    stageOf.set(leaf, stage);
    return stage;
  };
  const ms = new Map<Stage, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const stage = classify(profile.samples[i]);
    // A sample's time is the gap to the next one (the last sample's is unknown: none).
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (stage) ms.set(stage, (ms.get(stage) ?? 0) + dt);
  }
  return ms;
}

/**
 * The stages of the profiles in `dir`, each thread kind scaled to its CPU from /proc (`cpu`):
 * a profile samples the running thread whether or not it has a core, so on a full machine its
 * times are longer than the CPU it got. `postgres`: the server's CPU over the run, if known.
 */
export function stagesFromProfiles(
  dir: string,
  distRoot: string,
  cpu: ThreadCpu,
  postgres: number | undefined,
): { cpuSeconds: Partial<Record<Stage, number>>; totalCpuSeconds: number } {
  const sampled: Record<ThreadKind, Map<Stage, number>> = {
    main: new Map(),
    parse: new Map(),
    generate: new Map(),
    pglite: new Map(),
  };
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.cpuprofile')) : [];
  for (const file of files) {
    const profile = JSON.parse(readFileSync(join(dir, file), 'utf8')) as CpuProfile;
    const kind = threadKind(profile);
    const into = sampled[kind];
    for (const [stage, ms] of stagesOfProfile(profile, distRoot, kind))
      into.set(stage, (into.get(stage) ?? 0) + ms);
  }
  const seconds: Partial<Record<Stage, number>> = {};
  const add = (stage: Stage, s: number) => (seconds[stage] = (seconds[stage] ?? 0) + s);
  for (const kind of Object.keys(sampled) as ThreadKind[]) {
    const stages = sampled[kind];
    const total = [...stages.values()].reduce((a, b) => a + b, 0);
    if (!cpu[kind]) continue;
    // A thread kind that used CPU but left no profile (a thread killed before writing it).
    if (!total) add('other', cpu[kind]);
    else for (const [stage, ms] of stages) add(stage, (ms / total) * cpu[kind]);
  }
  add('helpers', cpu.helpers);
  if (postgres !== undefined) add('database', postgres);
  const rounded = Object.fromEntries(
    Object.entries(seconds)
      .filter(([, s]) => s >= 0.005)
      .map(([k, s]) => [k, Math.round(s * 100) / 100]),
  ) as Partial<Record<Stage, number>>;
  const totalCpuSeconds = Math.round(Object.values(seconds).reduce((a, b) => a + b, 0) * 10) / 10;
  return { cpuSeconds: rounded, totalCpuSeconds };
}
