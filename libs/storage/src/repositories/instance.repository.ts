import { randomBytes } from 'node:crypto';
import { Database } from '../database';

/** This deployment: the database's random id and the secret that seals its generated forms. */
export interface Deployment {
  id: string;
  secret: string;
}

/** The database's own random id (migration 003) and secret (004, made on first use). */
export class InstanceRepository {
  constructor(private readonly db: Database) {}

  async id(): Promise<string> {
    return (await this.deployment()).id;
  }

  async deployment(): Promise<Deployment> {
    // Made here, not in SQL: the secret comes from a cryptographic source.
    await this.db.query(`UPDATE instance SET secret = $1 WHERE secret IS NULL`, [
      randomBytes(32).toString('hex'),
    ]);
    const [row] = await this.db.query<Deployment>('SELECT id, secret FROM instance LIMIT 1');
    if (!row) throw new Error('the instance table is empty: the database was not migrated');
    return row;
  }
}
