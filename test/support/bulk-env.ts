import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { parseEnv, EnvDto } from '@formbridge/config';

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
