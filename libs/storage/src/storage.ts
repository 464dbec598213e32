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
  Partial<Pick<EnvDto, 'CONNECT_TIMEOUT_MS' | 'OUTAGE_TIMEOUT_MS' | 'LOG_LEVEL' | 'LOG_FORMAT'>>;

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
    return new Storage(db, deployment, config.BLOB_DIR);
  }

  close(): Promise<void> {
    return this.db.close();
  }
}
