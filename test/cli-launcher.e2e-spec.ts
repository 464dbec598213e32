import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { dropQueues, dropSchema, start, testEnv, waitFor, type Running } from './support/bulk-env';
import { ROOT, formbridge } from './support/cli';

/** The processes `pid` started, from /proc. */
function childrenOf(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * On the embedded database bin/formbridge.js runs each command in a process of its own, started
 * with the memory settings V8 and glibc read only at start (runTuned); that process must stand for
 * the command exactly: the same exit code, the same end when it is killed, and never left running
 * alone. On PostgreSQL the command runs in the process as started.
 */
describe('bin/formbridge.js', () => {
  const env = testEnv();
  const dataDir = mkdtempSync(join(tmpdir(), 'fb-launcher-'));
  let folders = 0;
  /** The embedded database, a data folder of its own per start. */
  const embedded = () => ({ ...env, DATABASE_URL: '', PGLITE_DIR: join(dataDir, `pglite-${++folders}`) });
  let serve: Running | undefined;

  afterEach(async () => {
    if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
      serve.child.kill('SIGKILL');
      await serve.exited;
    }
  });

  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await dropSchema(env.DATABASE_SCHEMA);
    await dropQueues(env.QUEUE_PREFIX);
  });

  it("passes on the command's exit code and output", () => {
    const tuned = formbridge(['import', '/nonexistent-folder'], embedded());
    const plain = formbridge(['import', '/nonexistent-folder'], {
      ...embedded(),
      FORMBRIDGE_NODE_TUNED: '0',
    });
    expect(tuned.status).toBe(2);
    expect(plain.status).toBe(2);
    expect(tuned.stderr).toBe(plain.stderr);
  });

  it('opens the embedded database while an export loads its code, and shuts it down cleanly when the command stops before using it', () => {
    const env = embedded();
    // Refused after the database began opening (the options are checked once the code is loaded).
    const refused = formbridge(['export', '--out', join(dataDir, 'never'), '--no-docx'], env);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('formbridge: --no-docx leaves nothing to write without --pdf\n');
    // The folder was made and then shut down cleanly (pg_control's state 1), not left as a crash
    // for the next start to recover from, and it is unlocked.
    expect(readFileSync(join(env.PGLITE_DIR, 'global', 'pg_control')).readInt32LE(16)).toBe(1);
    expect(existsSync(join(env.PGLITE_DIR, 'formbridge.lock'))).toBe(false);
    const list = formbridge(['records', '--json'], env);
    expect(list.status).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  }, 180_000);

  /** `formbridge serve`: a command that runs until it is stopped (embedded unless `extra` says). */
  async function startServe(
    extra: Record<string, string> = {},
  ): Promise<{ launcher: number; command: number }> {
    serve = start([join(ROOT, 'bin', 'formbridge.js'), 'serve'], { ...embedded(), PORT: '0', ...extra });
    await waitFor(
      async () => /FormBridge: http/.test(serve!.stdout()),
      150_000,
      `formbridge serve (${serve.stderr()})`,
    );
    const launcher = serve.child.pid as number;
    const [command] = childrenOf(launcher);
    return { launcher, command };
  }

  it('runs the command in the process as started on PostgreSQL', async () => {
    const { launcher } = await startServe({ DATABASE_URL: env.DATABASE_URL });
    const commands = childrenOf(launcher).filter((pid) =>
      readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('formbridge.js'),
    );
    expect(commands).toEqual([]);
    expect(readFileSync(`/proc/${launcher}/cmdline`, 'utf8')).not.toContain('--max-semi-space-size');
  }, 180_000);

  it('runs the command with the young generation, helper threads and malloc arenas it sets on the embedded database', async () => {
    const { command } = await startServe();
    const args = readFileSync(`/proc/${command}/cmdline`, 'utf8').split('\0');
    const environ = readFileSync(`/proc/${command}/environ`, 'utf8').split('\0');
    expect(args).toContain('--max-semi-space-size=4');
    expect(args).toContain(`--v8-pool-size=${Math.min(4, availableParallelism())}`);
    expect(args).toContain(join(ROOT, 'bin', 'formbridge.js'));
    expect(environ).toContain('MALLOC_ARENA_MAX=2');
  }, 180_000);

  it('passes SIGTERM on to the command and ends as the command alone would', async () => {
    await startServe({ FORMBRIDGE_NODE_TUNED: '0' });
    serve!.child.kill('SIGTERM');
    const alone = await serve!.exited;
    const { command } = await startServe();
    serve!.child.kill('SIGTERM');
    expect(await serve!.exited).toBe(alone);
    expect(alone).not.toBe('SIGKILL');
    await waitFor(async () => !alive(command), 10_000, 'the command process to end');
  }, 180_000);

  it('takes the command with it when it is killed outright (SIGKILL)', async () => {
    const { command } = await startServe();
    expect(alive(command)).toBe(true);
    serve!.child.kill('SIGKILL');
    expect(await serve!.exited).toBe('SIGKILL');
    await waitFor(async () => !alive(command), 10_000, 'the orphaned command process to end');
  }, 180_000);
});
