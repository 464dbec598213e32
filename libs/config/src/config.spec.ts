import { availableParallelism } from 'node:os';
import { ConfigError, generateThreadCount, parseEnv, parseThreadCount } from './config';

describe('thread settings', () => {
  const cores = availableParallelism();

  it('takes GENERATE_THREADS as a whole number from 0 to 64 and refuses anything else', () => {
    expect(parseEnv({}).GENERATE_THREADS).toBe(0);
    expect(parseEnv({ GENERATE_THREADS: '3' }).GENERATE_THREADS).toBe(3);
    for (const bad of ['-1', '65', '1.5', 'many'])
      expect(() => parseEnv({ GENERATE_THREADS: bad })).toThrow(ConfigError);
    expect(() => parseEnv({ GENERATE_THREADS: 'x' })).toThrow(/GENERATE_THREADS/);
  });

  it('gives as many generate threads as parse threads unless set: one per core, one fewer on the embedded database', () => {
    const server = parseEnv({ DATABASE_URL: 'postgres://db/formbridge' });
    const embedded = parseEnv({});
    expect(generateThreadCount(server)).toBe(cores);
    expect(generateThreadCount(embedded)).toBe(Math.max(1, cores - 1));
    expect(generateThreadCount(server)).toBe(parseThreadCount(server));
    expect(generateThreadCount(embedded)).toBe(parseThreadCount(embedded));
    expect(generateThreadCount(parseEnv({ GENERATE_THREADS: '5' }))).toBe(5);
    expect(parseThreadCount(parseEnv({ GENERATE_THREADS: '5' }))).toBe(Math.max(1, cores - 1));
  });
});
