import { availableParallelism } from 'node:os';
import { plainToInstance } from 'class-transformer';
import { validateSync } from './validators';
import 'reflect-metadata';
import { EnvDto } from './env.dto';

export class ConfigError extends Error {}

/** Parses an environment into validated settings; throws listing every bad variable. */
export function parseEnv(env: NodeJS.ProcessEnv): EnvDto {
  const known = Object.keys(new EnvDto());
  const picked = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => known.includes(k) && v !== undefined && v !== ''),
  );
  const config = plainToInstance(EnvDto, picked);
  const errors = validateSync(config);
  if (errors.length) {
    throw new ConfigError(
      `invalid configuration: ${errors.map((e) => `${e.property}: ${Object.values(e.constraints ?? {}).join(', ')}`).join('; ')}`,
    );
  }
  return config;
}

let cached: EnvDto | undefined;

/** The process's settings, read from process.env once. */
export function loadConfig(): EnvDto {
  cached ??= parseEnv(process.env);
  return cached;
}

/**
 * Parse threads for a process: PARSE_THREADS, or by default one per core — but one core fewer
 * on the embedded database, whose engine (PGlite, on a thread of its own) keeps a core busy itself.
 * Measured on 2 cores (docs/bench.md): the embedded import was no slower with one parse thread
 * than with two, and each thread's isolate costs ~30 MB of the embedded set-up's 400 MB.
 */
export function parseThreadCount(config: Pick<EnvDto, 'PARSE_THREADS' | 'DATABASE_URL'>): number {
  return threadCount(config.PARSE_THREADS, config);
}

/** Generate threads for a process: GENERATE_THREADS, or by default the parse threads' rule. */
export function generateThreadCount(config: Pick<EnvDto, 'GENERATE_THREADS' | 'DATABASE_URL'>): number {
  return threadCount(config.GENERATE_THREADS, config);
}

function threadCount(setting: number, config: Pick<EnvDto, 'DATABASE_URL'>): number {
  if (setting > 0) return setting;
  const cores = availableParallelism();
  return config.DATABASE_URL ? cores : Math.max(1, cores - 1);
}
