import { existsSync, readFileSync } from 'node:fs';
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
export const PARSER_SERVICE = join(ROOT, 'dist', 'apps', 'parser', 'src', 'start.js');

/** node's arguments for the parser service, as `npm run start:parser` gives them (its flags too). */
export function parserServiceArgs(): string[] {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  const [node, ...args] = pkg.scripts['start:parser'].split(/\s+/);
  if (node !== 'node' || args[args.length - 1] !== 'dist/apps/parser/src/start.js')
    throw new Error(
      `npm run start:parser is not "node [flags] dist/apps/parser/src/start.js": ${pkg.scripts['start:parser']}`,
    );
  return [...args.slice(0, -1), PARSER_SERVICE];
}
