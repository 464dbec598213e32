import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, FormBridgeError, OutageMonitor } from '@formbridge/common';
import { Redis } from 'ioredis';

/** `host:port` of a Redis URL, for messages (never the password). */
export function describeRedisUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || 6379}`;
  } catch {
    return 'REDIS_URL';
  }
}

/**
 * One ioredis client for a process's queues and flow producer; BullMQ workers duplicate it for
 * their blocking reads. maxRetriesPerRequest must be null for BullMQ workers: commands wait for
 * a lost server instead of failing, and the monitor says once that it is gone and when it is back
 * (ioredis reports every reconnection attempt as an 'error').
 */
export function createRedisConnection(url: string, outage?: OutageMonitor): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: null,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let wasReady = false;
  redis.on('ready', () => {
    wasReady = true;
    outage?.restored();
  });
  redis.on('error', (err) => {
    if (wasReady) outage?.lost(err);
  });
  redis.on('close', () => {
    if (wasReady && redis.status !== 'end') outage?.lost(new Error('connection closed'));
  });
  return redis;
}

/** Resolves once Redis answers; an UNAVAILABLE error naming the server after `timeoutMs`. */
export async function pingRedis(redis: Redis, url: string, timeoutMs: number): Promise<void> {
  let lastError = 'no answer';
  const onError = (err: Error) => (lastError = err.message || (err as { code?: string }).code || lastError);
  redis.on('error', onError);
  const timeout = new AbortController();
  try {
    const answered = await Promise.race([
      redis.ping().then(() => true),
      sleep(timeoutMs, false, { signal: timeout.signal }),
    ]);
    if (!answered)
      throw new FormBridgeError(
        ErrorCode.Unavailable,
        `Redis at ${describeRedisUrl(url)} is not answering (${lastError}): start it, or check REDIS_URL`,
      );
  } finally {
    timeout.abort();
    redis.off('error', onError);
  }
}

/** Deletes every Redis key under a queue prefix: all queues, jobs and flows of one deployment. */
export async function deleteQueueKeys(url: string, prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}
