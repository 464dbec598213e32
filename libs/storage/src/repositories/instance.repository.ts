import { Database } from '../database';

/** The database's own random id (migration 003). */
export class InstanceRepository {
  constructor(private readonly db: Database) {}

  async id(): Promise<string> {
    const [row] = await this.db.query<{ id: string }>('SELECT id FROM instance LIMIT 1');
    if (!row) throw new Error('the instance table is empty: the database was not migrated');
    return row.id;
  }
}
