import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deleteQueueKeys } from '@formbridge/queue';
import { BenchDatabase } from './bench-database';
import { EmbeddedFolder } from './embedded-folder';
import { HttpRun, benchHttp } from './http.bench';

export interface HttpSetUpOptions {
  requests: number;
  connections: number;
  postgresUrl: string;
  redisUrl: string;
  embeddedFolder: EmbeddedFolder;
  /** Only the embedded set-up (the smoke run). */
  embeddedOnly: boolean;
  log: (line: string) => void;
}

/**
 * The HTTP load on the parser service twice: on the embedded database (a new data folder; its
 * first start is not part of the load) and on PostgreSQL.
 */
export async function benchHttpSetUps(
  o: HttpSetUpOptions,
): Promise<{ embedded?: HttpRun; postgres?: HttpRun }> {
  const tmp = mkdtempSync(join(tmpdir(), 'formbridge-bench-http-'));
  const db = new BenchDatabase(o.postgresUrl, o.redisUrl, 'formbridge_bench_http');
  const prefix = `${db.prefix}_http`;
  try {
    await o.embeddedFolder.copyTo(join(tmp, 'pglite'), o.redisUrl);
    const embedded = await benchHttp({
      ...o,
      setUp: 'embedded',
      tmp,
      env: {
        DATABASE_URL: '',
        PGLITE_DIR: join(tmp, 'pglite'),
        REDIS_URL: o.redisUrl,
        QUEUE_PREFIX: prefix,
        LOG_LEVEL: 'warn',
      },
    });
    if (o.embeddedOnly) return { embedded };
    await db.fresh();
    const postgres = await benchHttp({ ...o, setUp: 'postgres', tmp, env: db.env() });
    return { embedded, postgres };
  } finally {
    await db.drop().catch((err: Error) => o.log(`could not drop ${db.name}: ${err.message}`));
    await deleteQueueKeys(o.redisUrl, prefix);
    rmSync(tmp, { recursive: true, force: true });
  }
}
