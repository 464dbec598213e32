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
