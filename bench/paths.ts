import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, from bench/ or from dist/bench/. */
function findRoot(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'fixtures'))) return dir;
    if (dirname(dir) === dir) throw new Error(`no repository root above ${start}`);
  }
}

export const ROOT = findRoot(__dirname);
export const CLI = join(ROOT, 'bin', 'formbridge.js');
export const PARSER_SERVICE = join(ROOT, 'dist', 'apps', 'parser', 'src', 'main.js');
