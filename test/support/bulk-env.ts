import { unzipSync } from 'fflate';
import { ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BullMqBatchQueue, createRedisConnection, deleteQueueKeys } from '@formbridge/queue';
import { Storage } from '@formbridge/storage';
import type { Redis } from 'ioredis';
import { Client } from 'pg';
import { parseEnv, EnvDto } from '@formbridge/config';
import { ROOT } from './cli';

/** The PostgreSQL server the integration tests use (trust auth on this machine and in CI). */
export const TEST_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** A name no other test run uses: each test gets its own schema and queue prefix. */
export function uniqueName(prefix: string): string {
  return `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`;
}

/** Settings for one test: its own schema and queue prefix, fast stall detection. */
export function testEnv(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    DATABASE_URL: TEST_DATABASE_URL,
    DATABASE_SCHEMA: uniqueName('fbt'),
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: uniqueName('fbt'),
    JOB_BACKOFF_MS: '100',
    LOG_LEVEL: 'error',
    ...overrides,
  };
}

export function testConfig(env: Record<string, string>): EnvDto {
  return parseEnv(env);
}

export async function dropSchema(schema: string): Promise<void> {
  const client = new Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  } finally {
    await client.end();
  }
}

/** A child process we can watch, wait for and kill (services, workers, a CLI import). */
export interface Running {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** The exit code, or the signal that ended the process. */
  exited: Promise<number | NodeJS.Signals | null>;
}

export function start(args: string[], env: Record<string, string>, cwd?: string): Running {
  const child = spawn(process.execPath, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<number | NodeJS.Signals | null>((resolve) =>
    child.on('exit', (code, signal) => resolve(code ?? signal)),
  );
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Polls `probe` until it returns something truthy, or fails after `timeoutMs`. */
export async function waitFor<T>(
  probe: () => Promise<T | undefined | false | null>,
  timeoutMs: number,
  what: string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Deletes every Redis key of a test's queue prefix. */
export function dropQueues(prefix: string): Promise<void> {
  return deleteQueueKeys(TEST_REDIS_URL, prefix);
}

/**
 * Storage and a batch queue on the test servers, in the schema and queue prefix of the test's own
 * `env`, for suites that drive the import and the jobs in-process: `open` in beforeAll, `close`
 * (which drops both) in afterAll.
 */
export class TestServers {
  readonly config: EnvDto;
  readonly redis: Redis;
  storage!: Storage;
  queue!: BullMqBatchQueue;

  constructor(readonly env: Record<string, string>) {
    this.config = testConfig(env);
    this.redis = createRedisConnection(this.config.REDIS_URL);
  }

  async open(): Promise<void> {
    this.storage = await Storage.open(this.config);
    this.queue = new BullMqBatchQueue(this.redis, this.config, this.storage.instanceId);
  }

  async close(): Promise<void> {
    await this.queue.close();
    await this.redis.quit();
    await this.storage.close();
    await dropSchema(this.env.DATABASE_SCHEMA);
    await dropQueues(this.env.QUEUE_PREFIX);
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

/** How long a service may take to answer /health; hooks that start one allow a little more. */
export const SERVICE_START_MS = 150_000;

/** A built service (`apps/<app>/src/main.js`) on a free port, answering /health. */
export interface RunningService extends Running {
  base: string;
}

export async function startService(
  app: 'parser' | 'generator',
  env: Record<string, string>,
): Promise<RunningService> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const portVariable = app === 'parser' ? 'PARSER_PORT' : 'GENERATOR_PORT';
  const running = start([join(ROOT, 'dist', 'apps', app, 'src', 'main.js')], {
    ...env,
    [portVariable]: String(port),
    HOST: '127.0.0.1',
  });
  await waitFor(
    () =>
      fetch(`${base}/health`).then(
        (r) => r.ok,
        () => false,
      ),
    // A new embedded data folder is created first (initdb in a process of its own): slow on a
    // busy machine.
    SERVICE_START_MS,
    `the ${app} service (${running.stderr()})`,
  );
  return { ...running, base };
}

/** Stops a service gracefully and removes what its test left in PostgreSQL and Redis. */
export async function stopService(service: Running | undefined, env: Record<string, string>): Promise<void> {
  service?.child.kill('SIGTERM');
  await service?.exited;
  if (env.DATABASE_URL) await dropSchema(env.DATABASE_SCHEMA);
  await dropQueues(env.QUEUE_PREFIX);
}

/** POST /exports, wait for it to finish, download the archive: its entries and content type. */
export async function exportOverHttp(
  base: string,
  body: object,
  timeoutMs: number,
): Promise<{ entries: Record<string, Uint8Array>; contentType: string | null }> {
  const res = await fetch(`${base}/exports`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (res.status !== 202) throw new Error(`POST /exports answered ${res.status}: ${await res.text()}`);
  const { batchId, download } = (await res.json()) as { batchId: number; download: string };
  await waitFor(
    async () =>
      ((await (await fetch(`${base}/exports/${batchId}`)).json()) as { status: string }).status ===
      'completed',
    timeoutMs,
    'the export',
  );
  const zip = await fetch(`${base}${download}`);
  return {
    entries: unzipSync(new Uint8Array(await zip.arrayBuffer())),
    contentType: zip.headers.get('content-type'),
  };
}
