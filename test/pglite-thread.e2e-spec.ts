import { PgliteDatabase } from '@formbridge/storage';

/**
 * The embedded database runs PGlite on a thread of its own: what crosses between the threads
 * must come back as PGlite itself gives it — rows and their types, errors with PostgreSQL's
 * code, transactions that take turns and roll back.
 */
describe('PgliteDatabase (PGlite on its own thread)', () => {
  let db: PgliteDatabase;

  beforeAll(async () => {
    db = await PgliteDatabase.open('memory://', 'spec');
    await db.exec(`CREATE TABLE t (id serial PRIMARY KEY, name text, data jsonb, bytes bytea, at timestamptz);
                   CREATE TABLE counter (n int); INSERT INTO counter VALUES (0);`);
  }, 60_000);

  afterAll(async () => {
    await db.close();
  });

  it('passes parameters and rows with their types (text, jsonb, bytea, timestamptz, numbers)', async () => {
    const bytes = new Uint8Array([0, 1, 2, 254, 255]);
    const at = new Date('2026-11-30T12:00:00.000Z');
    const [row] = await db.query<{ id: number; name: string; data: unknown; bytes: Uint8Array; at: Date }>(
      'INSERT INTO t (name, data, bytes, at) VALUES ($1, $2, $3, $4) RETURNING *',
      ['项目支出绩效目标申报表（２０２６）', JSON.stringify({ 金额: '226.00' }), bytes, at],
    );
    expect(row.id).toBe(1);
    expect(row.name).toBe('项目支出绩效目标申报表（２０２６）');
    expect(row.data).toEqual({ 金额: '226.00' });
    expect([...row.bytes]).toEqual([...bytes]);
    // A Date (of node's realm: jest's own Date is another class, so not toBeInstanceOf).
    expect(Object.prototype.toString.call(row.at)).toBe('[object Date]');
    expect(row.at.toISOString()).toBe(at.toISOString());
  });

  it("rejects a failed statement with PostgreSQL's message and code", async () => {
    await expect(db.query('SELECT 1 / 0')).rejects.toMatchObject({
      message: 'division by zero',
      code: '22012',
    });
    await expect(db.query('INSERT INTO t (id) VALUES (1)')).rejects.toMatchObject({ code: '23505' });
  });

  it('commits a transaction whose work succeeded and rolls back one whose work failed', async () => {
    await db.transaction((tx) => tx.query("INSERT INTO t (name) VALUES ('kept')"));
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t (name) VALUES ('dropped')");
        throw new Error('the work failed');
      }),
    ).rejects.toThrow('the work failed');
    await expect(
      db.transaction(async (tx) => {
        await tx.query("INSERT INTO t (name) VALUES ('dropped too')");
        await tx.query('SELECT 1 / 0');
      }),
    ).rejects.toMatchObject({ code: '22012' });
    const names = (
      await db.query<{ name: string }>("SELECT name FROM t WHERE name LIKE 'kept%' OR name LIKE 'dropped%'")
    ).map((r) => r.name);
    expect(names).toEqual(['kept']);
  });

  it('runs concurrent transactions one at a time (no lost update)', async () => {
    await Promise.all(
      Array.from({ length: 20 }, () =>
        db.transaction(async (tx) => {
          const [{ n }] = await tx.query<{ n: number }>('SELECT n FROM counter');
          await new Promise((r) => setTimeout(r, 2));
          await tx.query('UPDATE counter SET n = $1', [n + 1]);
        }),
      ),
    );
    expect(await db.query('SELECT n FROM counter')).toEqual([{ n: 20 }]);
  });

  it('refuses work once closed, with a reason', async () => {
    const other = await PgliteDatabase.open('memory://', 'spec2');
    await other.close();
    await expect(other.query('SELECT 1')).rejects.toThrow('the embedded database stopped: it was closed');
  }, 60_000);
});
