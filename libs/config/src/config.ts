import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
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
