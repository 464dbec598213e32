import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { ErrorCode } from '@formbridge/common';
import { NewDocument, NewItem, Storage } from '@formbridge/storage';
import { detectFormat } from '@formbridge/word';
import type { Log } from '@formbridge/common';
import type { BatchQueue } from '../batch-queue';
import { JOB_ITEMS, type BatchRef } from '../queue.constants';
import type { LocalFiles } from './local-files';
import { SubmissionFile } from './submission-file';

export interface ImportLimits {
  maxFileBytes: number;
}

/**
 * Files are stored and queued in chunks of a few jobs each: bounded memory, and workers start on
 * the first chunk. The first chunk is one job's worth, so that the workers start as soon as it is
 * stored instead of waiting for four (docs/bench.md, "Seventh look").
 */
export const CHUNK_FILES = 4 * JOB_ITEMS;
const FIRST_CHUNK_FILES = JOB_ITEMS;
const CHUNK_BYTES = 16 * 1024 * 1024;

/**
 * A paced import reads the next chunk only while at most this many jobs wait for a worker: about
 * 1,000 files, some seconds of parsing, enough to keep every worker of a machine busy. Read ahead
 * of that, an import of thousands of files only piles up garbage in the producer's process.
 */
export const PACE_WAITING_JOBS = Math.ceil(1000 / JOB_ITEMS);
const PACE_POLL_MS = 50;

export interface ImportRunOptions {
  /** Told the batch before its first file is stored. */
  onStarted?: (batch: BatchRef) => void;
  /**
   * Read the files no faster than the workers parse them (see PACE_WAITING_JOBS), for producers
   * that read their files as they go (a folder, an archive on disk), not for files already in
   * memory.
   */
  paced?: boolean;
  /**
   * A paced producer stops waiting when the waiting jobs have not gone down for this long (no
   * worker is taking them: stopped, or busy elsewhere) and stores the rest at once: files are
   * better queued than held. Default 10 s.
   */
  stallMs?: number;
}

interface Prepared {
  file: SubmissionFile;
  position: number;
  sha256?: string;
  format?: string;
}

/**
 * Starts import batches: stores each file's bytes once (by SHA-256) in the blob store, records a
 * batch item per file, and queues parse jobs of a few items each, ids only.
 */
export class ImportService {
  constructor(
    private readonly storage: Storage,
    private readonly queue: BatchQueue,
    private readonly limits: ImportLimits,
    private readonly log?: Log,
    /** This process's parse workers, if it runs any, take the stored files from here. */
    private readonly localFiles?: LocalFiles,
  ) {}

  /**
   * Imports everything `files` yields and seals the batch; returns the batch id as soon as the
   * last file is queued (the work itself goes on in the workers). `onStarted` receives the batch
   * before the first file is stored.
   */
  async run(
    files: AsyncIterable<SubmissionFile> | Iterable<SubmissionFile>,
    options: ImportRunOptions = {},
  ): Promise<number> {
    const batch = await this.storage.batches.create('import');
    await this.queue.open('import', batch);
    this.log?.log(`import batch ${batch.id} started`, { batch: batch.id, kind: 'import' });
    options.onStarted?.(batch);
    let chunk: SubmissionFile[] = [];
    let bytes = 0;
    let position = 0;
    const stallMs = options.stallMs ?? 10_000;
    let stalled = false;
    for await (const file of files) {
      chunk.push(file);
      bytes += file.bytes?.length ?? 0;
      if (chunk.length >= (position === 0 ? FIRST_CHUNK_FILES : CHUNK_FILES) || bytes >= CHUNK_BYTES) {
        await this.store(batch, position, chunk);
        position += chunk.length;
        chunk = [];
        bytes = 0;
        if (options.paced && !stalled) {
          await this.queue.keepOpen('import', batch);
          stalled = !(await this.pace(stallMs));
          if (stalled)
            this.log?.warn(
              `import batch ${batch.id}: no worker took a job for ${Math.round(stallMs / 1000)} s; queuing the remaining files at once`,
              { batch: batch.id, kind: 'import' },
            );
        }
      }
    }
    await this.store(batch, position, chunk);
    await this.storage.batches.seal(batch.id);
    await this.queue.seal('import', batch);
    this.log?.log(`import batch ${batch.id} queued`, { batch: batch.id, kind: 'import' });
    return batch.id;
  }

  /**
   * Waits while more than PACE_WAITING_JOBS jobs wait for a worker. False when their number has
   * not gone down for `stallMs`: then nobody is taking them, and waiting longer only delays the
   * files' storing.
   */
  private async pace(stallMs: number): Promise<boolean> {
    let waiting = await this.queue.waiting('import');
    let fewest = waiting;
    let since = Date.now();
    while (waiting > PACE_WAITING_JOBS) {
      if (Date.now() - since > stallMs) return false;
      await sleep(PACE_POLL_MS);
      waiting = await this.queue.waiting('import');
      if (waiting < fewest) {
        fewest = waiting;
        since = Date.now();
      }
    }
    return true;
  }

  private async store(
    batch: BatchRef,
    firstPosition: number,
    files: readonly SubmissionFile[],
  ): Promise<void> {
    if (!files.length) return;
    const prepared: Prepared[] = files.map((file, i) => {
      const position = firstPosition + i + 1;
      if (file.failure || !file.bytes) return { file, position };
      if (file.bytes.length > this.limits.maxFileBytes) {
        return {
          file: {
            name: file.name,
            failure: {
              code: ErrorCode.TooLarge,
              reason: `the file is ${file.bytes.length} bytes; the limit is ${this.limits.maxFileBytes}`,
            },
          },
          position,
        };
      }
      return {
        file,
        position,
        sha256: createHash('sha256').update(file.bytes).digest('hex'),
        format: detectFormat(file.bytes),
      };
    });
    const readable = prepared.filter((p) => p.sha256);
    const known = await this.storage.documents.existing(readable.map((p) => p.sha256 as string));
    const fresh = [
      ...new Map(
        readable.filter((p) => !known.has(p.sha256 as string)).map((p) => [p.sha256 as string, p]),
      ).values(),
    ];
    const blobs = fresh.map((p) => ({ sha256: p.sha256 as string, bytes: p.file.bytes as Uint8Array }));
    const docs: NewDocument[] = readable.map((p) => ({
      sha256: p.sha256 as string,
      byteSize: (p.file.bytes as Uint8Array).length,
      format: p.format as string,
      name: p.file.name,
    }));

    // Bytes first: a document row never points at bytes that are not there.
    if (this.storage.blobs.location === 'folder') await this.storage.blobs.putMany(blobs);
    const itemIds = await this.storage.db.transaction(async (tx) => {
      if (this.storage.blobs.location === 'database') await this.storage.blobs.putMany(blobs, tx);
      const documentIds = await this.storage.documents.insertMany(docs, tx);
      const items: NewItem[] = prepared.map((p) => ({
        position: p.position,
        name: p.file.name,
        documentId: p.sha256 ? documentIds.get(p.sha256) : null,
        failure: p.sha256
          ? undefined
          : (p.file.failure ?? { code: ErrorCode.InvalidInput, reason: 'no bytes' }),
      }));
      return this.storage.batches.addItems(batch.id, items, tx);
    });
    const queued = prepared.flatMap((p, i) =>
      p.sha256 ? [{ id: itemIds[i], bytes: p.file.bytes?.length ?? 0 }] : [],
    );
    // Stored and committed: the bytes are the document's, whichever process parses it.
    prepared.forEach((p, i) => {
      if (p.sha256 && p.file.bytes) this.localFiles?.put(itemIds[i], p.file.bytes);
    });
    await this.queue.addItems(
      'import',
      batch,
      queued.map((q) => q.id),
      queued.map((q) => q.bytes),
    );
  }
}
