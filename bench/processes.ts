import { ChildProcess, spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const PROBE = join(__dirname, 'rss-probe.js');

/** A FormBridge process the benchmark started (the CLI, a service), with its memory watched. */
export class Child {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  private out = '';
  private err = '';
  private hwmKB = 0;
  private readonly rssFile: string;
  /** Each thread's CPU ticks when last sampled, by `pid.tid`, with its name. */
  private readonly threads = new Map<string, { main: boolean; name: string; ticks: number }>();
  readonly startedAt = performance.now();
  endedAt?: number;

  constructor(
    readonly role: string,
    args: string[],
    env: Record<string, string>,
    tmpDir: string,
  ) {
    this.rssFile = join(tmpDir, `rss-${role.replace(/\W+/g, '-')}-${Date.now()}.json`);
    this.child = spawn(process.execPath, ['--require', PROBE, ...args], {
      env: { ...process.env, ...env, FORMBRIDGE_BENCH_RSS_FILE: this.rssFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout?.on('data', (d: Buffer) => (this.out += d.toString()));
    // Only the tail of stderr is kept: enough to say why a process failed.
    this.child.stderr?.on('data', (d: Buffer) => (this.err = (this.err + d.toString()).slice(-8000)));
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code) => {
        this.endedAt = performance.now();
        resolve(code);
      }),
    );
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  stdout(): string {
    return this.out;
  }

  stderr(): string {
    return this.err;
  }

  get seconds(): number {
    return ((this.endedAt ?? performance.now()) - this.startedAt) / 1000;
  }

  /**
   * Current and peak RSS from /proc, in MB, of the largest of this process and those it started
   * (`bin/formbridge.js` runs each command in a process of its own, started with the memory
   * settings V8 reads at start); undefined once the process is gone.
   */
  sample(): { rssMB: number; hwmMB: number } | undefined {
    const status = procStatus(this.pid);
    if (!status) return undefined;
    let { rssKB, hwmKB } = status;
    const all = [this.pid, ...descendants(this.pid)];
    for (const pid of all.slice(1)) {
      const s = procStatus(pid);
      if (s && s.rssKB > rssKB) rssKB = s.rssKB;
      if (s && s.hwmKB > hwmKB) hwmKB = s.hwmKB;
    }
    for (const pid of all) for (const t of threadTicks(pid)) this.threads.set(`${pid}.${t.tid}`, t);
    this.hwmKB = Math.max(this.hwmKB, hwmKB);
    return { rssMB: rssKB / 1024, hwmMB: hwmKB / 1024 };
  }

  /** Peak RSS in MB: the kernel's own count written at exit, else the highest /proc VmHWM seen. */
  peakRssMB(): number {
    if (existsSync(this.rssFile)) {
      try {
        const { maxRssKB } = JSON.parse(readFileSync(this.rssFile, 'utf8')) as { maxRssKB: number };
        rmSync(this.rssFile, { force: true });
        this.hwmKB = Math.max(this.hwmKB, maxRssKB);
      } catch {
        // keep the sampled value
      }
    }
    return this.hwmKB / 1024;
  }

  /** Highest VmHWM seen so far of the processes this one started (polled: call it often). */
  descendantsHwmMB(): number {
    const hwm = descendants(this.pid).map((pid) => (procStatus(pid)?.hwmKB ?? 0) / 1024);
    this.childrenHwmMB = Math.max(this.childrenHwmMB, 0, ...hwm);
    return this.childrenHwmMB;
  }

  private childrenHwmMB = 0;

  /**
   * CPU seconds of this process and those it started, by thread, as last sampled (a thread's
   * last quarter second may be missing): the main threads, FormBridge's named threads
   * (`fb-parse`, `fb-generate`, `fb-pglite`: see nameThisThread) and the rest, V8's helper
   * threads (compilers, garbage collection) and libuv's.
   */
  cpuByThread(): ThreadCpu {
    const cpu: ThreadCpu = { main: 0, parse: 0, generate: 0, pglite: 0, helpers: 0 };
    for (const t of this.threads.values()) {
      const key = t.main
        ? 'main'
        : t.name === 'fb-parse'
          ? 'parse'
          : t.name === 'fb-generate'
            ? 'generate'
            : t.name === 'fb-pglite'
              ? 'pglite'
              : 'helpers';
      cpu[key] += t.ticks / CLOCK_TICKS;
    }
    for (const k of Object.keys(cpu) as Array<keyof ThreadCpu>) cpu[k] = Math.round(cpu[k] * 10) / 10;
    return cpu;
  }

  /** SIGTERM (the services close their workers gracefully), SIGKILL if it hangs. */
  async stop(timeoutMs = 15_000): Promise<void> {
    if (!this.alive) return;
    this.sample();
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.exited;
    clearTimeout(timer);
  }
}

/** The processes `pid` started, and theirs, from /proc. */
function descendants(pid: number): number[] {
  let children: number[] = [];
  try {
    children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
  return children.flatMap((c) => [c, ...descendants(c)]);
}

/** CPU seconds by kind of thread (see Child.cpuByThread). */
export interface ThreadCpu {
  main: number;
  parse: number;
  generate: number;
  pglite: number;
  helpers: number;
}

/** Linux's USER_HZ, the unit of /proc's CPU times: 100 on every architecture Node runs on. */
const CLOCK_TICKS = 100;

/**
 * The CPU ticks of a /proc stat line: user and system time (fields 14 and 15), and with
 * `children` those of its ended children too (16 and 17). Fields count after the command's
 * parentheses, which may hold spaces.
 */
function statTicks(stat: string, children = false): number {
  const f = stat
    .slice(stat.lastIndexOf(')') + 2)
    .split(' ')
    .map(Number);
  return f[11] + f[12] + (children ? f[13] + f[14] : 0);
}

function threadTicks(pid: number): Array<{ tid: number; main: boolean; name: string; ticks: number }> {
  try {
    return readdirSync(`/proc/${pid}/task`).flatMap((tid) => {
      try {
        const dir = `/proc/${pid}/task/${tid}`;
        const ticks = statTicks(readFileSync(`${dir}/stat`, 'utf8'));
        return [
          {
            tid: Number(tid),
            main: Number(tid) === pid,
            name: readFileSync(`${dir}/comm`, 'utf8').trim(),
            ticks,
          },
        ];
      } catch {
        return []; // the thread ended meanwhile
      }
    });
  } catch {
    return [];
  }
}

/**
 * CPU seconds the PostgreSQL server on this machine has used so far, when it runs here (its
 * processes readable in /proc): the live processes' own times and what the postmaster collected
 * from the backends that ended. Undefined when there is none (a server elsewhere).
 */
export function postgresCpuSeconds(): number | undefined {
  let ticks = 0;
  let found = false;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() !== 'postgres') continue;
      ticks += statTicks(readFileSync(`/proc/${entry}/stat`, 'utf8'), true);
      found = true;
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found ? ticks / CLOCK_TICKS : undefined;
}

function procStatus(pid: number): { rssKB: number; hwmKB: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0);
    return { rssKB: kb('VmRSS'), hwmKB: kb('VmHWM') };
  } catch {
    return undefined;
  }
}

/** Polls until `probe` answers truthy, or fails after `timeoutMs`. */
export async function waitFor(probe: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe().catch(() => false))) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await sleep(100);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
