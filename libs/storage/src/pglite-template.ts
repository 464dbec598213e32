import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { PGlite as PGliteType } from '@electric-sql/pglite';

/**
 * The settings every embedded database runs with. PGlite keeps PostgreSQL's 128 MB of shared
 * buffers inside its WebAssembly memory, where every page once touched stays resident for the
 * life of the process. The embedded database is one clerk's filings on an office PC; its data
 * files are read through the operating system's page cache anyway (docs/bench.md).
 */
export const PGLITE_CONF = ['shared_buffers=16MB'];

/** The installed PGlite's version: a template is only good for the PGlite that made it. */
export function pgliteVersion(): string {
  const pkg = join(dirname(require.resolve('@electric-sql/pglite')), '..', 'package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/** The template's file name: the PGlite version that made it is part of it. */
function templateName(): string {
  return `pglite-template-${pgliteVersion()}.tar.gz`;
}

/**
 * Where the build keeps the empty database every new embedded database starts from: beside this
 * file in the build, or the build's copy when this file runs from source (the tests).
 * `undefined` when there is none (a build that has not made it yet).
 */
export function pgliteTemplate(): string | undefined {
  const name = templateName();
  const beside = join(__dirname, name);
  if (existsSync(beside)) return beside;
  const built = join(__dirname, '..', '..', '..', 'dist', 'libs', 'storage', 'src', name);
  return existsSync(built) ? built : undefined;
}

/**
 * Makes the template: initdb once, in memory, and the cluster it made dumped as a .tar.gz. PGlite
 * runs initdb against a second PostgreSQL instance of its own, about 730 MB resident at its peak
 * and 3–5 s; loading this template instead takes about 1 s and 250 MB (docs/bench.md). Run by
 * `npm run build`, so no clerk's first start ever runs initdb.
 */
export async function makePgliteTemplate(file: string): Promise<void> {
  // Loaded here only: every process that opens storage loads this module, and PGlite's module
  // (with the fetch implementation it touches) is 50–60 ms of a start that never runs it on the
  // main thread (the embedded database runs on a thread of its own; docs/bench.md).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { PGlite } = require('@electric-sql/pglite') as { PGlite: typeof PGliteType };
  const db = await PGlite.create({ postgresqlconf: PGLITE_CONF });
  try {
    const dump = await db.dumpDataDir('gzip');
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(`${file}.tmp`, new Uint8Array(await dump.arrayBuffer()));
    renameSync(`${file}.tmp`, file);
  } finally {
    await db.close();
  }
}

// `node dist/libs/storage/src/pglite-template.js`: a step of `npm run build`. A template already
// made for this PGlite is kept.
if (require.main === module) {
  const file = join(__dirname, templateName());
  if (existsSync(file)) {
    process.stdout.write(`embedded database template: ${file} (kept)\n`);
  } else {
    makePgliteTemplate(file).then(
      () => process.stdout.write(`embedded database template: ${file}\n`),
      (err: unknown) => {
        process.stderr.write(`could not make the embedded database template: ${String(err)}\n`);
        process.exitCode = 1;
      },
    );
  }
}
