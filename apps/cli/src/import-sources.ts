import { opendir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { ErrorCode, FormBridgeError, readSmallFile, statSmall } from '@formbridge/common';
import { SubmissionFile, archiveEntries, isArchiveName, isSubmissionName } from '@formbridge/queue';

export interface SourceLimits {
  maxFileBytes: number;
  maxArchiveBytes: number;
  maxArchiveEntries: number;
}

/** Refuses a typo before anything is stored: every path named must exist. */
export async function checkPaths(paths: readonly string[]): Promise<void> {
  for (const path of paths) {
    const s = await stat(path).catch(() => undefined);
    if (!s || (!s.isFile() && !s.isDirectory()))
      throw new FormBridgeError(ErrorCode.InvalidInput, `${path}: no such file or folder`);
  }
}

/**
 * The files named on the command line, one at a time: files as given, folders walked in name
 * order (Word files and .zip archives only; hidden entries, Office lock files and symlinked
 * folders skipped), archives read in memory entry by entry. Only one file's bytes (or one
 * archive's) are held at a time. Read synchronously, a file at a time (see small-files.ts).
 */
export async function* submissionFiles(
  paths: readonly string[],
  limits: SourceLimits,
): AsyncGenerator<SubmissionFile> {
  for (const path of paths) {
    const s = await stat(path);
    if (s.isDirectory()) yield* walk(path, limits);
    else yield* fileAt(path, s.size, limits);
  }
}

async function* walk(dir: string, limits: SourceLimits): AsyncGenerator<SubmissionFile> {
  const entries: Array<{ name: string; isDir: boolean; isFile: boolean }> = [];
  // Entries come from the thread pool 1,024 at a time instead of Node's default 32: a folder of
  // 10,000 filings was 313 round trips (21-37 ms before the first file could be read, and
  // longer while the parse threads start beside it), now 10 (11-22 ms; docs/bench.md).
  for await (const e of await opendir(dir, { bufferSize: 1024 })) {
    if (e.name.startsWith('.')) continue;
    entries.push({ name: e.name, isDir: e.isDirectory(), isFile: e.isFile() || e.isSymbolicLink() });
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDir) {
      yield* walk(path, limits);
    } else if (e.isFile && (isArchiveName(e.name) || isSubmissionName(e.name))) {
      const s = await statSmall(path).catch(() => undefined);
      if (s?.isFile()) yield* fileAt(path, s.size, limits);
    }
  }
}

async function* fileAt(path: string, size: number, limits: SourceLimits): AsyncGenerator<SubmissionFile> {
  const archive = isArchiveName(path);
  const max = archive ? limits.maxArchiveBytes : limits.maxFileBytes;
  if (size > max) {
    yield {
      name: path,
      failure: {
        code: ErrorCode.TooLarge,
        reason: `the ${archive ? 'archive' : 'file'} is ${size} bytes; the limit is ${max}`,
      },
    };
    return;
  }
  let bytes: Uint8Array;
  try {
    bytes = await readSmallFile(path, size);
  } catch (err) {
    yield {
      name: path,
      failure: {
        code: ErrorCode.InvalidInput,
        reason: `cannot read the file: ${(err as NodeJS.ErrnoException).code ?? 'error'}`,
      },
    };
    return;
  }
  if (archive)
    yield* archiveEntries(bytes, path, {
      maxFileBytes: limits.maxFileBytes,
      maxEntries: limits.maxArchiveEntries,
    });
  else yield { name: path, bytes };
}
