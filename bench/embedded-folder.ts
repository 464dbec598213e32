import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI } from './paths';
import { Child } from './processes';

export interface FirstStart {
  seconds: number;
  /** The highest of the CLI process and the process it starts to make the database. */
  peakRssMB: number;
}

/**
 * A new embedded data folder, made once per benchmark by `formbridge records` (the empty database and the
 * migrations, as a clerk's first start does) and copied for each run that needs a fresh one, as
 * the PostgreSQL runs each get a fresh migrated database: the first start is measured apart.
 */
export class EmbeddedFolder {
  private template?: string;
  firstStart?: FirstStart;
  private readonly tmp = mkdtempSync(join(tmpdir(), 'formbridge-bench-pglite-'));

  async copyTo(dir: string, redisUrl: string): Promise<void> {
    if (!this.template) {
      const template = join(this.tmp, 'template');
      const env = { DATABASE_URL: '', PGLITE_DIR: template, REDIS_URL: redisUrl, LOG_LEVEL: 'warn' };
      const init = new Child('formbridge records (first start)', [CLI, 'records'], env, this.tmp);
      // The database is made by a process of its own, started by that one: its peak is sampled from /proc.
      const poll = setInterval(() => init.descendantsHwmMB(), 100);
      const code = await init.exited;
      clearInterval(poll);
      if (code !== 0 || !existsSync(join(template, 'PG_VERSION')))
        throw new Error(`formbridge records failed: ${init.stderr().slice(-1000)}`);
      this.firstStart = {
        seconds: Math.round(init.seconds * 10) / 10,
        peakRssMB: Math.round(Math.max(init.peakRssMB(), init.descendantsHwmMB()) * 10) / 10,
      };
      this.template = template;
    }
    cpSync(this.template, dir, { recursive: true });
  }

  dispose(): void {
    rmSync(this.tmp, { recursive: true, force: true });
  }
}
