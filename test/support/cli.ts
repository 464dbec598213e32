import { spawnSync, SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');

/** Runs the built `formbridge` command the way `npx formbridge` does. */
export function formbridge(
  args: string[],
  env: NodeJS.ProcessEnv = {},
  input?: string,
): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, [join(ROOT, 'bin', 'formbridge.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, ...env },
    input,
    timeout: 180_000,
    maxBuffer: 64 * 1024 * 1024,
  });
}
