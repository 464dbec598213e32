import { readFile, stat, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { existsSmall, writeSmallFileAtomic } from '@formbridge/common';
import type { Queryable } from './database';
import { BlobRepository } from './repositories/blob.repository';

export interface Blob {
  sha256: string;
  bytes: Uint8Array;
}

/** File bytes by SHA-256: submissions and generated exports. Never Redis. */
export interface BlobStore {
  readonly location: 'database' | 'folder';
  /** Stores blobs not yet stored; with the database store, inside `tx` when given. */
  putMany(blobs: readonly Blob[], tx?: Queryable): Promise<void>;
  get(sha256: string): Promise<Uint8Array>;
  /** Several at once, in the order asked. */
  getMany(sha256s: readonly string[]): Promise<Uint8Array[]>;
  /** Deletes these blobs (the caller checked nothing uses them); returns the bytes freed. */
  deleteMany(sha256s: readonly string[]): Promise<number>;
}

export class DatabaseBlobStore implements BlobStore {
  readonly location = 'database' as const;

  constructor(private readonly repo: BlobRepository) {}

  putMany(blobs: readonly Blob[], tx?: Queryable): Promise<void> {
    return this.repo.putMany(blobs, tx);
  }

  get(sha256: string): Promise<Uint8Array> {
    return this.repo.get(sha256);
  }

  getMany(sha256s: readonly string[]): Promise<Uint8Array[]> {
    return this.repo.getMany(sha256s);
  }

  deleteMany(sha256s: readonly string[]): Promise<number> {
    return this.repo.deleteMany(sha256s);
  }
}

/**
 * A content-addressed folder (`ab/<sha256>`). Writes go to a temporary name and are renamed into
 * place, so a reader never sees half a file and concurrent writers of the same bytes agree.
 * Several machines share it only through a shared volume; without one, keep bytes in PostgreSQL.
 *
 * Folders written before 2026-12 hold their files one level deeper (`ab/cd/<sha256>`): they are
 * read, found and deleted there too, and new files go to the one-level place. That layout made a
 * folder per file for the first tens of thousands of files (65,536 possible, each a 4 KB block
 * of its own): 10,000 files of 8 KB took 116 MB of disk instead of 80 MB, and twice the system
 * time to write (docs/bench.md, "Eighth look"). One level is 256 folders, as Git keeps loose
 * objects; ext4 indexes a large folder by hash, so a lookup stays quick with thousands in each.
 */
export class FolderBlobStore implements BlobStore {
  readonly location = 'folder' as const;
  /**
   * Temporary names: random bytes drawn once, so that writers on other machines sharing the folder
   * (whose process ids may be this one's) never pick the same name, then a count (random bytes for
   * every file cost 20 µs each of the main thread).
   */
  private readonly tmpTag = `${process.pid}.${randomBytes(6).toString('hex')}`;
  private written = 0;

  constructor(private readonly root: string) {}

  /** Where a file goes, and where it was put before 2026-12. */
  private pathsOf(sha256: string): [path: string, olderPath: string] {
    if (!/^[0-9a-f]{64}$/.test(sha256)) throw new Error(`not a sha256: ${sha256}`);
    const dir = join(this.root, sha256.slice(0, 2));
    return [join(dir, sha256), join(dir, sha256.slice(2, 4), sha256)];
  }

  /**
   * One file at a time, synchronously when small (small-files.ts): an import stores each file it
   * reads here, and six trips through libuv's pool a file cost more CPU than the file's parse.
   */
  async putMany(blobs: readonly Blob[]): Promise<void> {
    for (const blob of blobs) {
      const [path, olderPath] = this.pathsOf(blob.sha256);
      if ((await existsSmall(path)) || (await existsSmall(olderPath))) continue;
      const tmp = `${path}.${this.tmpTag}.${++this.written}.tmp`;
      await writeSmallFileAtomic(path, tmp, blob.bytes);
    }
  }

  async get(sha256: string): Promise<Uint8Array> {
    const [path, olderPath] = this.pathsOf(sha256);
    try {
      return await readFile(path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      return readFile(olderPath).catch((older: NodeJS.ErrnoException) => {
        // Missing from both places: say so of the place it is written to now.
        throw older.code === 'ENOENT' ? err : older;
      });
    }
  }

  getMany(sha256s: readonly string[]): Promise<Uint8Array[]> {
    return Promise.all(sha256s.map((s) => this.get(s)));
  }

  async deleteMany(sha256s: readonly string[]): Promise<number> {
    let freed = 0;
    for (const sha256 of sha256s) {
      for (const path of this.pathsOf(sha256)) {
        const size = await stat(path).then(
          (s) => s.size,
          () => 0,
        );
        await unlink(path).catch(() => undefined);
        freed += size;
      }
    }
    return freed;
  }
}
