import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
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

describe('validation', () => {
  it('refuses each kind of bad setting with its own reason', () => {
    const reasons = (env: NodeJS.ProcessEnv) => {
      try {
        parseEnv(env);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(reasons({ LOG_LEVEL: 'loud' })).toMatch(
      /LOG_LEVEL: LOG_LEVEL must be one of the following values/,
    );
    expect(reasons({ DATABASE_URL: 'mysql://x' })).toMatch(/DATABASE_URL must be a postgres:\/\/ URL/);
    expect(reasons({ QUEUE_PREFIX: 'a b' })).toMatch(/QUEUE_PREFIX must match/);
    expect(reasons({ FORMBRIDGE_API_TOKEN: 'short' })).toMatch(
      /FORMBRIDGE_API_TOKEN must be longer than or equal to 16 characters/,
    );
    expect(reasons({ PARSER_PORT: '70000' })).toMatch(/PARSER_PORT must not be greater than 65535/);
    expect(reasons({ MAX_FILE_BYTES: '10' })).toMatch(/MAX_FILE_BYTES must not be less than 1024/);
    expect(reasons({ LOG_LEVEL: 'debug', QUEUE_PREFIX: 'fb-1', FORMBRIDGE_API_TOKEN: 'x'.repeat(16) })).toBe(
      'accepted',
    );
  });

  it('loads the parts of class-validator it uses, not its index (0.15 s of every start: validators.ts)', () => {
    const config = join(__dirname, '..', '..', '..', 'dist', 'libs', 'config', 'src');
    const out = execFileSync(process.execPath, [
      '-e',
      `require(${JSON.stringify(config)}).parseEnv({ PARSER_PORT: '3001' });
       const loaded = Object.keys(require.cache);
       console.log(JSON.stringify({
         index: loaded.some((k) => /class-validator[\\\\/]cjs[\\\\/]index\\.js$/.test(k)),
         phoneNumbers: loaded.some((k) => k.includes('libphonenumber-js')),
         decorators: loaded.filter((k) => k.includes('class-validator')).length,
       }));`,
    ]).toString();
    expect(JSON.parse(out)).toEqual({ index: false, phoneNumbers: false, decorators: expect.any(Number) });
    expect((JSON.parse(out) as { decorators: number }).decorators).toBeGreaterThan(8);
  });
});
