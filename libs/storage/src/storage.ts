import { join } from 'node:path';
import { OutageMonitor, createLog } from '@formbridge/common';
import type { EnvDto } from '@formbridge/config';
import { BlobStore, DatabaseBlobStore, FolderBlobStore } from './blob-store';
import { Database } from './database';
import { migrate } from './migrator';
import { Deployment, InstanceRepository } from './repositories/instance.repository';
import { PgliteDatabase } from './pglite.database';
import { PostgresDatabase } from './postgres.database';
import { BatchRepository } from './repositories/batch.repository';
import { BlobRepository } from './repositories/blob.repository';
import { DocumentRepository } from './repositories/document.repository';
import { RecordRepository } from './repositories/record.repository';

export type StorageConfig = Pick<
  EnvDto,
  'DATABASE_URL' | 'DATABASE_SCHEMA' | 'DATABASE_POOL_SIZE' | 'PGLITE_DIR' | 'BLOB_DIR'
> &
  Partial<
    Pick<
      EnvDto,
      'CONNECT_TIMEOUT_MS' | 'OUTAGE_TIMEOUT_MS' | 'LOG_LEVEL' | 'LOG_FORMAT' | 'DATABASE_PREPARED_STATEMENTS'
    >
  >;

/**
 * Where the embedded database keeps file bytes when BLOB_DIR is not set: a folder inside its data
 * folder, so the data folder is still the whole deployment (one thing to back up or copy). Put
 * into PGlite, a 7 KB file cost about 4 ms of the process's main thread to store and read back,
 * several times its parse (docs/bench.md); a file costs a few hundred microseconds. A throw-away
 * database (`memory://`) keeps them in itself.
 */
export function embeddedBlobDir(config: Pick<EnvDto, 'DATABASE_URL' | 'PGLITE_DIR'>): string | undefined {
  if (config.DATABASE_URL || config.PGLITE_DIR.startsWith('memory://')) return undefined;
  return join(config.PGLITE_DIR, 'formbridge-blobs');
}

/**
 * Bytes the database holds while the store is a folder (BLOB_DIR set on a database that kept
 * them, or an embedded database from before it kept them in a folder) go to the folder, a page
 * at a time, each page deleted once written: nothing is ever only in the table that the store
 * no longer reads. Another process doing the same at once writes the same files.
 */
async function moveBlobsToFolder(db: Database, folder: BlobStore, pageSize = 200): Promise<void> {
  for (;;) {
    const rows = await db.query<{ sha256: string; content: Uint8Array }>(
      `SELECT sha256, content FROM blobs ORDER BY sha256 LIMIT $1`,
      [pageSize],
    );
    if (!rows.length) return;
    await folder.putMany(rows.map((r) => ({ sha256: r.sha256, bytes: r.content })));
    await db.query(`DELETE FROM blobs WHERE sha256 = ANY($1::text[])`, [rows.map((r) => r.sha256)]);
  }
}

/** The database (migrated), its repositories and the file-bytes store, opened together. */
export class Storage {
  readonly documents: DocumentRepository;
  readonly records: RecordRepository;
  readonly batches: BatchRepository;
  readonly blobs: BlobStore;
  readonly instanceId: string;

  constructor(
    readonly db: Database,
    /**
     * This database's random id and secret. The id scopes the job ids this database's batches
     * use in Redis and names the deployment in the forms it generates; the secret seals them.
     */
    readonly deployment: Deployment,
    blobDir?: string,
  ) {
    this.instanceId = deployment.id;
    this.documents = new DocumentRepository(db);
    this.records = new RecordRepository(db);
    this.batches = new BatchRepository(db);
    this.blobs = blobDir ? new FolderBlobStore(blobDir) : new DatabaseBlobStore(new BlobRepository(db));
  }

  /**
   * PostgreSQL when DATABASE_URL is set, else the embedded database in PGLITE_DIR. A server that
   * does not answer now is an UNAVAILABLE error at once; one lost later is waited for (bounded by
   * OUTAGE_TIMEOUT_MS, see PostgresDatabase).
   */
  static async open(config: StorageConfig): Promise<Storage> {
    let db: Database;
    if (config.DATABASE_URL) {
      const log = createLog('database', {
        level: config.LOG_LEVEL ?? 'warn',
        format: config.LOG_FORMAT ?? 'text',
      });
      const postgres = new PostgresDatabase(config.DATABASE_URL, config.DATABASE_SCHEMA, {
        poolSize: config.DATABASE_POOL_SIZE,
        preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
        connectTimeoutMs: config.CONNECT_TIMEOUT_MS ?? 5000,
        outage: new OutageMonitor('PostgreSQL', config.OUTAGE_TIMEOUT_MS ?? 120_000, log),
      });
      db = postgres;
      try {
        await postgres.ping();
      } catch (err) {
        await db.close();
        throw err;
      }
    } else db = await PgliteDatabase.open(config.PGLITE_DIR, config.DATABASE_SCHEMA);
    let deployment: Deployment;
    try {
      await migrate(db);
      deployment = await new InstanceRepository(db).deployment();
    } catch (err) {
      await db.close();
      throw err;
    }
    const blobDir = config.BLOB_DIR || embeddedBlobDir(config);
    const storage = new Storage(db, deployment, blobDir);
    try {
      if (blobDir) await moveBlobsToFolder(db, storage.blobs);
    } catch (err) {
      await db.close();
      throw err;
    }
    return storage;
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
