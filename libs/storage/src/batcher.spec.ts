import { Batcher } from './batcher';

describe('Batcher', () => {
  it('answers calls made together with one combined call', async () => {
    const seen: number[][] = [];
    const batcher = new Batcher<number, number>(async (xs) => {
      seen.push(xs);
      return xs.map((x) => x * 2);
    });
    expect(await Promise.all([1, 2, 3].map((x) => batcher.run(x)))).toEqual([2, 4, 6]);
    expect(seen).toEqual([[1, 2, 3]]);
  });

  it('retries each input alone when the combined call fails, so only the bad one fails', async () => {
    const batcher = new Batcher<number, number>(async (xs) => {
      if (xs.includes(13)) throw new Error('unlucky');
      return xs;
    });
    const results = await Promise.allSettled([1, 13, 2].map((x) => batcher.run(x)));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('flushes at its size limit without waiting', async () => {
    const sizes: number[] = [];
    const batcher = new Batcher<number, number>(async (xs) => (sizes.push(xs.length), xs), 2);
    await Promise.all([1, 2, 3, 4, 5].map((x) => batcher.run(x)));
    expect(sizes).toEqual([2, 2, 1]);
  });
});
