import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { ErrorCode, FormBridgeError } from '@formbridge/common';

export interface PdfPoolOptions {
  /** The LibreOffice executable. */
  soffice: string;
  /** A Python 3 that can `import uno` (Debian: /usr/bin/python3 with python3-uno). */
  python: string;
  /** Converters (office processes) at most; each converts one file at a time. */
  size: number;
  /** Longest one file may take; a converter that overruns it is killed and replaced. */
  timeoutMs: number;
  /** Longest a converter may take to start. */
  startTimeoutMs?: number;
}

export const PDF_INSTALL_HINT =
  'PDF output needs LibreOffice and its Python bridge: install them (Debian/Ubuntu: apt-get install libreoffice-writer-nogui python3-uno fonts-noto-cjk) and set SOFFICE_PATH / UNO_PYTHON if they are not at the default paths';

/** libreoffice/ sits at the repository root (the image copies it beside dist/). */
function projectFile(name: string, start = __dirname): string {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, name))) return join(dir, name);
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no ${name} found above ${start}`);
    dir = parent;
  }
}

interface Task {
  docx: Uint8Array;
  resolve: (pdf: Uint8Array) => void;
  reject: (err: Error) => void;
}

interface Answer {
  id?: number;
  ready?: boolean;
  ok?: boolean;
  code?: string;
  error?: string;
}

/**
 * One long-lived office process (libreoffice/pdf-converter.py drives it over a UNO pipe): started
 * once, it converts file after file. A converter that overruns its timeout or whose office dies is
 * killed with its whole process group and never used again.
 */
class Converter {
  private child?: ChildProcess;
  private dir?: string;
  private next = 1;
  private waiting?: { id: number; settle: (a: Answer) => void };
  private started?: Promise<void>;
  dead = false;

  constructor(
    private readonly options: PdfPoolOptions,
    private readonly script: string,
    private readonly fontConfig: string,
  ) {}

  start(): Promise<void> {
    this.started ??= this.spawn();
    return this.started;
  }

  private async spawn(): Promise<void> {
    this.dir = await mkdtemp(join(tmpdir(), 'formbridge-pdf-'));
    const child = spawn(
      this.options.python,
      [this.script, this.options.soffice, join(this.dir, 'profile'), this.fontConfig],
      // Its own process group, so a kill takes soffice with it.
      { stdio: ['pipe', 'pipe', 'ignore'], detached: true },
    );
    this.child = child;
    const lines = createInterface({ input: child.stdout! });
    let onReady: (a: Answer) => void = () => undefined;
    const ready = new Promise<Answer>((r) => (onReady = r));
    lines.on('line', (line) => {
      let answer: Answer;
      try {
        answer = JSON.parse(line) as Answer;
      } catch {
        return; // not ours (the office's own chatter)
      }
      if (answer.ready !== undefined) onReady(answer);
      else if (this.waiting && answer.id === this.waiting.id) this.waiting.settle(answer);
    });
    child.on('error', (err: NodeJS.ErrnoException) =>
      onReady({
        ready: false,
        code: err.code === 'ENOENT' ? 'NO_PYTHON' : 'SPAWN',
        error: err.message,
      }),
    );
    child.on('exit', (code) => {
      this.dead = true;
      onReady({ ready: false, code: 'EXITED', error: `the converter exited (${code})` });
      this.waiting?.settle({ ok: false, error: `the office process exited (${code})` });
    });
    const timer = setTimeout(
      () => onReady({ ready: false, code: 'START_TIMEOUT', error: 'LibreOffice did not start in time' }),
      this.options.startTimeoutMs ?? 90_000,
    );
    const answer = await ready.finally(() => clearTimeout(timer));
    if (!answer.ready) {
      await this.kill();
      if (['NO_PYTHON', 'NO_UNO', 'NO_SOFFICE'].includes(answer.code ?? ''))
        throw new FormBridgeError(ErrorCode.ConverterMissing, `${PDF_INSTALL_HINT} (${answer.error})`);
      throw new Error(`LibreOffice could not be started for PDF output: ${answer.error}`);
    }
  }

  async convert(docx: Uint8Array): Promise<Uint8Array> {
    const id = this.next++;
    const input = join(this.dir!, `form-${id}.docx`);
    const output = join(this.dir!, `form-${id}.pdf`);
    await writeFile(input, docx);
    try {
      const answer = await new Promise<Answer>((settle) => {
        const timer = setTimeout(
          () => settle({ ok: false, error: `timed out after ${this.options.timeoutMs} ms` }),
          this.options.timeoutMs,
        );
        this.waiting = {
          id,
          settle: (a) => {
            clearTimeout(timer);
            this.waiting = undefined;
            settle(a);
          },
        };
        this.child!.stdin!.write(`${JSON.stringify({ id, input, output })}\n`);
      });
      if (!answer.ok) {
        // Whatever went wrong, this office is not trusted with another file.
        await this.kill();
        throw new Error(`LibreOffice could not render the PDF: ${answer.error}`);
      }
      return await readFile(output);
    } finally {
      await rm(input, { force: true });
      await rm(output, { force: true });
    }
  }

  async kill(): Promise<void> {
    this.dead = true;
    const child = this.child;
    if (child?.pid && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
    }
    if (this.dir) await rm(this.dir, { recursive: true, force: true });
  }

  /** Asks the office to quit (closing stdin ends the converter's loop); kills it if it lingers. */
  async close(): Promise<void> {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin?.end();
      const timer = setTimeout(() => void this.kill(), 10_000);
      await exited;
      clearTimeout(timer);
    }
    await this.kill();
  }
}

/**
 * A bounded pool of long-lived LibreOffice converters that turn .docx bytes into PDF bytes.
 * Converters start on first use (a first PDF costs the office's start-up, the next ones only
 * their rendering), files wait in order for a free converter, each file has a timeout, and a
 * converter that fails is replaced. LibreOffice reads libreoffice/fonts.conf, so the forms'
 * official Chinese faces fall back to serif faces.
 */
export class PdfConverterPool {
  private readonly idle: Converter[] = [];
  private readonly queue: Task[] = [];
  private running = 0;
  private closed = false;
  private readonly script: string;
  private readonly fontConfig: string;

  constructor(private readonly options: PdfPoolOptions) {
    this.script = projectFile('libreoffice/pdf-converter.py');
    this.fontConfig = projectFile('libreoffice/fonts.conf');
  }

  convert(docx: Uint8Array): Promise<Uint8Array> {
    if (this.closed) return Promise.reject(new Error('the PDF converter pool is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ docx, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length && this.running < Math.max(1, this.options.size)) {
      const task = this.queue.shift()!;
      this.running++;
      void this.run(task).finally(() => {
        this.running--;
        this.pump();
      });
    }
  }

  private async run(task: Task): Promise<void> {
    let converter = this.idle.pop();
    while (converter?.dead) converter = this.idle.pop();
    try {
      converter ??= new Converter(this.options, this.script, this.fontConfig);
      await converter.start();
      const pdf = await converter.convert(task.docx);
      if (this.closed) await converter.close();
      else this.idle.push(converter);
      task.resolve(pdf);
    } catch (err) {
      await converter?.kill();
      task.reject(err as Error);
    }
  }

  /** Stops every converter; files still waiting are refused. */
  async close(): Promise<void> {
    this.closed = true;
    for (const t of this.queue.splice(0)) t.reject(new Error('the PDF converter pool is closed'));
    await Promise.all(this.idle.splice(0).map((c) => c.close()));
  }
}
