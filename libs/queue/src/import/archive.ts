import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { ZipPackage } from '@formbridge/word';
import { SubmissionFile, isSubmissionName } from './submission-file';

export interface ArchiveLimits {
  /** Largest inflated entry. */
  maxFileBytes: number;
  /** Most entries the archive may list. */
  maxEntries: number;
}

/**
 * The Word files inside a .zip held in memory. Entry names are only labels for the report: the
 * archive is never extracted to disk, so names such as `../../x` cannot point anywhere. Each entry
 * is inflated only when its turn comes, under the size cap; a damaged or oversized entry becomes
 * a refused file, and an unreadable archive a single refused file.
 */
export function* archiveEntries(
  bytes: Uint8Array,
  archiveName: string,
  limits: ArchiveLimits,
): Generator<SubmissionFile> {
  let zip: ZipPackage;
  try {
    zip = new ZipPackage(bytes, { maxEntryBytes: limits.maxFileBytes, maxEntries: limits.maxEntries });
  } catch (err) {
    const e = err instanceof FormBridgeError ? err : new FormBridgeError(ErrorCode.CorruptFile, String(err));
    yield {
      name: archiveName,
      failure: { code: e.code, reason: `the archive cannot be read: ${e.message}` },
    };
    return;
  }
  for (const entry of zip.names()) {
    if (entry.endsWith('/') || !isSubmissionName(entry)) continue;
    const name = `${archiveName}!/${entry}`;
    try {
      yield { name, bytes: zip.read(entry) as Uint8Array };
    } catch (err) {
      if (!(err instanceof FormBridgeError)) throw err;
      const reason =
        err.code === ErrorCode.InflatedTooLarge
          ? `the file inflates beyond ${limits.maxFileBytes} bytes`
          : err.message;
      yield {
        name,
        failure: { code: err.code === ErrorCode.InflatedTooLarge ? ErrorCode.TooLarge : err.code, reason },
      };
    }
  }
}
