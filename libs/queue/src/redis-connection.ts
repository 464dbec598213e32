import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode, FormBridgeError, OutageMonitor } from '@formbridge/common';
import { Redis, type RedisOptions } from 'ioredis';
// Not in ioredis's typings: the handler its own disconnect() runs for a client that has no socket.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { closeHandler } = require('ioredis/built/redis/event_handler') as {
  closeHandler: (client: object) => () => void;
};

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
 * An ioredis client whose disconnect() ends it even while it waits to reconnect. ioredis 6 clears
 * the reconnect timer but, with no socket left to close, never reaches 'end' (redis/ioredis#1247;
 * the fix, #2169, is not released): the client stays 'reconnecting' for ever. BullMQ's
 * Worker.close() waits for its blocking connection's 'end', so a worker closed while Redis was
 * down never closed, its lock timer kept the process alive, and `formbridge import` hung after
 * printing its summary. As ioredis already does for a client that never connected, the close
 * handler runs at once; with the client closing by hand it goes to 'end' and fails what is queued.
 */
export class EndingRedis extends Redis {
  override disconnect(reconnect = false): void {
    const waiting = !reconnect && this.status === 'reconnecting';
    super.disconnect(reconnect);
    if (waiting && this.status === 'reconnecting') closeHandler(this)();
  }

  /** BullMQ duplicates the client for its blocking reads: those must end too. */
  override duplicate<Override extends Partial<RedisOptions> | undefined = undefined>(override?: Override) {
    return new EndingRedis({ ...this.options, ...override } as RedisOptions & {
      replyMapping?: 'legacy';
    }) as unknown as ReturnType<typeof Redis.prototype.duplicate<Override>>;
  }
}

/**
 * One ioredis client for a process's queues and flow producer; BullMQ workers duplicate it for
 * their blocking reads. maxRetriesPerRequest must be null for BullMQ workers: commands wait for
 * a lost server instead of failing, and the monitor says once that it is gone and when it is back
 * (ioredis reports every reconnection attempt as an 'error').
 */
export function createRedisConnection(url: string, outage?: OutageMonitor): Redis {
  const redis = new EndingRedis(url, {
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
