import { sleepUnless, within } from './waits';

const never = new Promise<never>(() => undefined);

describe('sleepUnless and within', () => {
  it('ends when the promise settles, before the time is up', async () => {
    const started = performance.now();
    await sleepUnless(60_000, new Promise((resolve) => setTimeout(resolve, 20)));
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it("ends after the time when the promise never settles, and rejects with the promise's error", async () => {
    const started = performance.now();
    await sleepUnless(50, never);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
    await expect(sleepUnless(60_000, Promise.reject(new Error('gone')))).rejects.toThrow('gone');
  });

  it('bounds a promise without looking at its outcome', async () => {
    await expect(within(Promise.reject(new Error('gone')), 60_000)).resolves.toBeUndefined();
    const started = performance.now();
    await within(never, 50);
    expect(performance.now() - started).toBeGreaterThanOrEqual(45);
  });
});
