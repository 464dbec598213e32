import { Redis } from 'ioredis';

/**
 * One ioredis client for a process's queues and flow producer; BullMQ workers duplicate it for
 * their blocking reads. maxRetriesPerRequest must be null for BullMQ workers.
 */
export function createRedisConnection(url: string): Redis {
  const redis = new Redis(url, { maxRetriesPerRequest: null });
  // Connection errors are retried by ioredis and surface on the commands that fail; without a
  // listener they would also be reported as unhandled 'error' events.
  redis.on('error', () => undefined);
  return redis;
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
