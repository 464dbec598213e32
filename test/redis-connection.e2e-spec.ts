import { Worker } from 'bullmq';
import { Redis } from 'ioredis';
import { EndingRedis, createRedisConnection } from '@formbridge/queue';
import { waitFor } from './support/bulk-env';
import { PrivateRedis } from './support/private-servers';

/**
 * A client closed while Redis is down (issue 10's outages, found again in issue 13's runs): with
 * ioredis as released, a client disconnected while it waits to reconnect never reaches 'end', and
 * BullMQ's Worker.close() waits for that 'end' without limit. `formbridge import` finishing just as
 * Redis went away printed its summary and then never exited.
 */
describe('Redis connections closed while Redis is down', () => {
  let redis: PrivateRedis;
  const clients: Redis[] = [];

  beforeEach(async () => {
    redis = await PrivateRedis.start();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) if (c.status !== 'end') c.disconnect();
    await redis.stop();
  });

  /** Resolves with what happened first: the promise settled, or `ms` went by. */
  const settledWithin = (promise: Promise<unknown>, ms: number) =>
    Promise.race([
      promise.then(
        () => 'settled',
        () => 'settled',
      ),
      new Promise((resolve) => setTimeout(() => resolve('still waiting'), ms).unref()),
    ]);

  const reconnecting = (client: Redis) =>
    waitFor(async () => client.status === 'reconnecting', 10_000, 'the client to wait to reconnect');

  it('the plain ioredis client stays "reconnecting" for ever (the bug this works around is still there)', async () => {
    const plain = new Redis(redis.url, { maxRetriesPerRequest: null, retryStrategy: () => 2000 });
    plain.on('error', () => undefined);
    clients.push(plain);
    await plain.ping();
    await redis.kill();
    await reconnecting(plain);
    const ended = new Promise((resolve) => plain.once('end', resolve));
    plain.disconnect();
    // If ioredis fixes this (redis/ioredis#2169), EndingRedis can go: this test says so.
    expect(await settledWithin(ended, 1500)).toBe('still waiting');
    expect(plain.status).toBe('reconnecting');
  });

  it('EndingRedis ends at once, fails what it had queued, and so do its duplicates', async () => {
    const client = createRedisConnection(redis.url);
    clients.push(client);
    await client.ping();
    const blocking = client.duplicate();
    clients.push(blocking);
    expect(blocking).toBeInstanceOf(EndingRedis);
    blocking.on('error', () => undefined);
    await blocking.ping();

    await redis.kill();
    await Promise.all([reconnecting(client), reconnecting(blocking)]);
    const queued = client.get('anything');
    for (const c of [client, blocking]) {
      const ended = new Promise((resolve) => c.once('end', resolve));
      c.disconnect();
      expect(await settledWithin(ended, 1500)).toBe('settled');
      expect(c.status).toBe('end');
    }
    await expect(queued).rejects.toThrow(/Connection is closed/);
  });

  it('a BullMQ worker on it, closed while Redis is down, has closed once Redis is back', async () => {
    const connection = createRedisConnection(redis.url);
    clients.push(connection);
    const worker = new Worker('closing', async () => undefined, { connection, prefix: 'fbt-closing' });
    worker.on('error', () => undefined);
    await worker.waitUntilReady();
    await waitFor(async () => worker.isRunning(), 5000, 'the worker to run');

    await redis.kill();
    await reconnecting(connection);
    const closing = worker.close();
    await redis.restart();
    // With the plain client this never settled: the process of the import stayed up for ever.
    expect(await settledWithin(closing, 10_000)).toBe('settled');
    expect(worker.isRunning()).toBe(false);
  });
});
