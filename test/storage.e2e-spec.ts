import { createHash } from 'node:crypto';
import { ErrorCode } from '@formbridge/common';
import {
  BlobRepository,
  InstanceRepository,
  MIGRATIONS,
  Queryable,
  RecordService,
  Storage,
  migrate,
  withGenericPlans,
} from '@formbridge/storage';
import { BatchReportService, exportRows } from '@formbridge/queue';
import { dropSchema, testConfig, testEnv } from './support/bulk-env';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function specialFund(projectName: string, year = 2019): Record<string, unknown> {
  return {
    formType: 'special-fund-performance-target',
    attachmentLabel: '附件2-1',
    year,
    fillingUnit: null,
    projectName,
    projectAttribute: 'new',
    departmentName: '合江街道办事处',
    totalFunds: '10.00',
    departmentDuties: null,
    basis: null,
    schedule: [],
    longTermGoal: null,
    annualGoal: null,
    indicators: [],
    safeguards: null,
    reviews: [{ authority: '财政部门预算股', opinion: null, date: null }],
    filledBy: null,
    phone: null,
    filledOn: null,
  };
}

describe.each([
  ['PostgreSQL', () => testEnv()],
  ['PGlite', () => testEnv({ DATABASE_URL: '', PGLITE_DIR: 'memory://' })],
])('storage on %s', (_name, makeEnv) => {
  const env = makeEnv();
  let storage: Storage;

  beforeAll(async () => {
    storage = await Storage.open(testConfig(env));
  });

  afterAll(async () => {
    await storage.close();
    if (env.DATABASE_URL) await dropSchema(env.DATABASE_SCHEMA);
  });

  it('a wait for a batch ends as soon as this process completes it, not at the next poll', async () => {
    const batch = await storage.batches.create('import');
    const reports = new BatchReportService(storage);
    const started = Date.now();
    // A poll interval far longer than the test may take: only the completion can end the wait.
    const waiting = reports.waitForCompletion(batch.id, undefined, 600_000);
    await new Promise((resolve) => setTimeout(resolve, 200));
    await storage.batches.complete(batch.id);
    await waiting;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect((await storage.batches.get(batch.id))?.status).toBe('completed');
    // Another batch completing does not end a wait (nor is it ended early by it).
    const other = await storage.batches.create('import');
    const stillWaiting = reports.waitForCompletion(other.id, undefined, 600_000);
    let ended = false;
    void stillWaiting.then(() => (ended = true));
    await storage.batches.complete(batch.id);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(ended).toBe(false);
    await storage.batches.complete(other.id);
    await stillWaiting;
  });

  it('applies each migration once, however often it starts', async () => {
    expect(await migrate(storage.db)).toEqual([]);
    const rows = await storage.db.query<{ id: string }>('SELECT id FROM schema_migrations');
    expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(MIGRATIONS[0].id).toBe('001-initial');
    // The database's own id, made once by its migration, stays the same on every start.
    expect(storage.instanceId).toMatch(/^[0-9a-f]{12}$/);
    expect(await new InstanceRepository(storage.db).id()).toBe(storage.instanceId);
  });

  it('stores a document once per SHA-256 and keeps its bytes out of the queue', async () => {
    const bytes = new TextEncoder().encode('same bytes');
    const doc = { sha256: sha('same bytes'), byteSize: bytes.length, format: 'docx', name: 'a.docx' };
    await storage.blobs.putMany([{ sha256: doc.sha256, bytes }]);
    const first = await storage.documents.insertMany([doc, { ...doc, name: 'copy.docx' }]);
    const second = await storage.documents.insertMany([{ ...doc, name: 'b.docx' }]);
    expect(first.get(doc.sha256)).toBe(second.get(doc.sha256));
    expect([...(await storage.documents.existing([doc.sha256, sha('other')]))]).toEqual([doc.sha256]);
    expect(Buffer.from(await storage.blobs.get(doc.sha256)).toString()).toBe('same bytes');
  });

  it("keeps items' and documents' names and reasons exactly, whatever they hold, in the order given", async () => {
    // Written as one array per column: every character an array's text form treats specially.
    const names = [
      '（２０２４）绩效目标申报表，终稿.docx',
      'a "quoted" name.docx',
      'back\\slash\\.docx',
      '{braces},commas;semicolons.docx',
      'NULL',
      'null',
      '',
      ' spaced  ',
      'line\nbreak\ttab.docx',
      '表😀.docx',
    ];
    const docs = names.map((name, i) => ({ sha256: sha(`exact ${i}`), byteSize: i, format: 'docx', name }));
    const docIds = await storage.documents.insertMany(docs);
    const stored = await storage.db.query<{ sha256: string; name: string; byteSize: number }>(
      `SELECT sha256, name, byte_size AS "byteSize" FROM documents WHERE sha256 = ANY($1::text[])`,
      [docs.map((d) => d.sha256)],
    );
    expect(new Map(stored.map((d) => [d.sha256, [d.name, d.byteSize]]))).toEqual(
      new Map(docs.map((d) => [d.sha256, [d.name, d.byteSize]])),
    );

    const batch = await storage.batches.create('import');
    // Given out of order, and the failed ones with reasons as odd as the names.
    const items = names.map((name, i) => ({
      position: names.length - i,
      name,
      documentId: i % 3 === 2 ? null : (docIds.get(docs[i].sha256) as number),
      failure:
        i % 3 === 2
          ? { code: ErrorCode.TooLarge, reason: `理由：${names[(i + 1) % names.length]}` }
          : undefined,
    }));
    const ids = await storage.batches.addItems(batch.id, items);
    expect(new Set(ids).size).toBe(names.length);
    const rows = await storage.batches.items(batch.id, 0, 100);
    expect(
      rows.map((r) => [r.id, r.position, r.name, r.status, r.documentId, r.errorCode, r.reason]),
    ).toEqual(
      items
        .map((item, i) => [
          ids[i],
          item.position,
          item.name,
          item.failure ? 'failed' : 'pending',
          item.documentId,
          item.failure?.code ?? null,
          item.failure?.reason ?? null,
        ])
        .reverse(),
    );
    expect((await storage.batches.get(batch.id))?.total).toBe(names.length);
    // The same positions again (a resumed import) are the same items.
    expect(await storage.batches.addItems(batch.id, items.slice(0, 2))).toEqual(ids.slice(0, 2));

    await storage.batches.markFailedMany([{ itemId: ids[0], code: 'INVALID_INPUT', reason: names[1] }]);
    await storage.batches.markReusedMany([{ itemId: ids[1], formCount: 3 }]);
    const after = new Map((await storage.batches.items(batch.id, 0, 100)).map((r) => [r.id, r]));
    expect(after.get(ids[0])).toMatchObject({
      status: 'failed',
      errorCode: 'INVALID_INPUT',
      reason: names[1],
    });
    expect(after.get(ids[1])).toMatchObject({ status: 'done', recordCount: 3, newRecords: 0, reason: null });
  });

  it('stores files with generic plans, and leaves the planning of the rest as it was', async () => {
    const blobs = new BlobRepository(storage.db);
    const files = ['甲', '乙', '丙'].map((s) => ({ sha256: sha(`generic ${s}`), bytes: Buffer.from(s) }));
    const mode = async (tx: Queryable) =>
      (await tx.query<{ m: string }>(`SELECT current_setting('plan_cache_mode') AS m`))[0].m;
    const seen = await storage.db.transaction(async (tx) => {
      await tx.query('SET LOCAL plan_cache_mode = force_custom_plan');
      const during = await withGenericPlans(tx, () => mode(tx));
      await blobs.putMany(files, tx);
      return { during, after: await mode(tx) };
    });
    expect(seen).toEqual({ during: 'force_generic_plan', after: 'force_custom_plan' });
    // Without a transaction it opens its own, and the connection keeps its own setting.
    const more = [...files, { sha256: sha('generic 丁'), bytes: Buffer.from('丁') }];
    await blobs.putMany(more);
    const stored = await blobs.getMany(more.map((f) => f.sha256));
    expect(stored.map((b) => Buffer.from(b).toString())).toEqual(['甲', '乙', '丙', '丁']);
    expect(await mode(storage.db)).toBe('auto');
  });

  it('stores the records of one parse exactly once, however often the job runs', async () => {
    const batch = await storage.batches.create('import');
    const docId = (
      await storage.documents.insertMany([
        { sha256: sha('two forms'), byteSize: 9, format: 'docx', name: 'two.docx' },
      ])
    ).get(sha('two forms')) as number;
    const [itemA, itemB] = await storage.batches.addItems(batch.id, [
      { position: 1, name: 'two.docx', documentId: docId },
      { position: 2, name: 'again.docx', documentId: docId },
    ]);
    const records = [specialFund('项目甲'), specialFund('项目乙')];
    const warnings = [
      { code: 'sum-mismatch', message: 'm', recordIndex: 0, path: '$.totalFunds', location: null },
    ];
    expect(await storage.records.storeParsed(itemA, docId, records, warnings)).toBe(2);
    expect(await storage.records.storeParsed(itemA, docId, records, warnings)).toBe(0);
    expect(await storage.records.storeParsed(itemB, docId, records, warnings)).toBe(0);
    const stored = await storage.records.list({ batchId: batch.id }, { limit: 10 });
    expect(stored.map((r) => [r.project, r.source.formIndex, r.version])).toEqual([
      ['项目甲', 0, 1],
      ['项目乙', 1, 1],
    ]);
    expect(await storage.batches.counts(batch.id)).toEqual({ pending: 0, done: 2, failed: 0 });
    const items = await storage.batches.items(batch.id, 0, 10, 'warned');
    expect(items[0].warnings).toEqual(warnings);
    expect(await storage.batches.recordTotals(batch.id)).toEqual({
      records: 4,
      newRecords: 2,
      updatedRecordIds: [],
    });
  });

  it("reads an export's items a page at a time, in order, each with its record's index columns", async () => {
    const imported = await storage.batches.create('import');
    const docId = (
      await storage.documents.insertMany([
        { sha256: sha('page test'), byteSize: 1, format: 'docx', name: 'p.docx' },
      ])
    ).get(sha('page test')) as number;
    const [importItem] = await storage.batches.addItems(imported.id, [
      { position: 1, name: 'p.docx', documentId: docId },
    ]);
    const projects = ['页一', '页二', '页三', '页四', '页五'];
    await storage.records.storeParsed(
      importItem,
      docId,
      projects.map((p) => specialFund(p, 2018)),
      [],
    );
    const stored = await storage.records.list({ batchId: imported.id }, { limit: 10 });
    const batch = await storage.batches.create('export');
    // Positions need not be consecutive (here 50, 40 … 10 in the order listed); a page ends
    // where its last row is.
    const itemIds = await storage.batches.addItems(
      batch.id,
      stored.map((r, i) => ({ position: 10 * (5 - i), name: `record ${r.id}`, recordId: r.id })),
    );
    await storage.batches.markExportedMany([
      { itemId: itemIds[4], outputSha256: sha('out'), outputName: 'x.docx' },
    ]);
    const pages = [];
    for (let after = 0; ;) {
      const page = await storage.batches.exportRows(batch.id, after, 2);
      pages.push(page.map((r) => [r.position, r.recordId, r.project, r.year, r.status, r.outputName]));
      if (page.length < 2) break;
      after = page[page.length - 1].position;
    }
    const row = (i: number, status = 'pending', name: string | null = null) => [
      10 * (5 - i),
      stored[i].id,
      stored[i].project,
      2018,
      status,
      name,
    ];
    expect(stored.map((r) => r.project).sort()).toEqual([...projects].sort());
    expect(pages).toEqual([[row(4, 'done', 'x.docx'), row(3)], [row(2), row(1)], [row(0)]]);
  });

  it("follows an export's items as they settle, in order, and every item once the batch is complete", async () => {
    const batch = await storage.batches.create('export');
    // No records behind them: the index columns are null, which this test does not look at.
    const ids = await storage.batches.addItems(
      batch.id,
      [1, 2, 3, 4, 5].map((position) => ({ position, name: `record ${position}` })),
    );
    let complete = () => {};
    let fail = (_err: Error) => {};
    const follow = async (completed: Promise<void>) => {
      const seen: Array<[number, string]> = [];
      const done = (async () => {
        for await (const row of exportRows(storage, batch.id, completed, 10))
          seen.push([row.position, row.status]);
      })();
      return { seen, done };
    };
    const pause = (n: number) => new Promise((resolve) => setTimeout(resolve, 100 * n));

    const first = await follow(new Promise<void>((resolve) => (complete = resolve)));
    // Items 2 and 4 settle first: nothing comes before item 1 does, and then only up to item 3.
    await storage.batches.markExportedMany([
      { itemId: ids[1], outputSha256: sha('2'), outputName: '2.docx' },
      { itemId: ids[3], outputSha256: sha('4'), outputName: '4.docx' },
    ]);
    await pause(2);
    expect(first.seen).toEqual([]);
    await storage.batches.markFailedMany([{ itemId: ids[0], code: 'INVALID_RECORD', reason: 'bad' }]);
    for (const until = Date.now() + 10_000; first.seen.length < 2 && Date.now() < until;) await pause(0.1);
    await pause(2); // and no further: item 3 is pending
    expect(first.seen).toEqual([
      [1, 'failed'],
      [2, 'done'],
    ]);
    // Complete with item 3 and item 5 still pending: they are listed as they are, and it ends.
    complete();
    await first.done;
    expect(first.seen).toEqual([
      [1, 'failed'],
      [2, 'done'],
      [3, 'pending'],
      [4, 'done'],
      [5, 'pending'],
    ]);

    // A wait that fails ends the rows with its error.
    const second = await follow(new Promise<void>((_, reject) => (fail = reject)));
    await pause(1);
    fail(new Error('Redis is gone'));
    await expect(second.done).rejects.toThrow('Redis is gone');
    expect(second.seen).toEqual([
      [1, 'failed'],
      [2, 'done'],
    ]);
  });

  it('stores one record per filing: the same content again is a source, other content of the same filing is flagged', async () => {
    const batch = await storage.batches.create('import');
    const names = ['a.docx', 'b.docx', 'c.docx'];
    const docs = await storage.documents.insertMany(
      names.map((name) => ({ sha256: sha(`filing ${name}`), byteSize: 1, format: 'docx', name })),
    );
    const [a, b, c] = names.map((n) => docs.get(sha(`filing ${n}`)) as number);
    const items = await storage.batches.addItems(
      batch.id,
      names.map((name, i) => ({ position: i + 1, name, documentId: [a, b, c][i] })),
    );
    const same = specialFund('同一申报');
    const warning = {
      code: 'sum-mismatch',
      message: 'm',
      recordIndex: 0,
      path: '$.totalFunds',
      location: null,
    };
    // a and b carry the same filing (b once more as its second form); c the same filing, other amount.
    const added = await storage.records.storeParsedMany([
      { itemId: items[0], documentId: a, records: [same], warnings: [warning] },
      { itemId: items[1], documentId: b, records: [specialFund('另一项目'), same], warnings: [] },
      { itemId: items[2], documentId: c, records: [{ ...same, totalFunds: '12.00' }], warnings: [] },
    ]);
    expect(added).toEqual([1, 1, 1]);
    const [first, second] = await storage.records.list({ project: '同一申报' }, { limit: 10 });
    expect(first.sources.map((s) => [s.file, s.formIndex])).toEqual([
      ['a.docx', 0],
      ['b.docx', 1],
    ]);
    expect(first.warnings).toEqual([
      { code: 'sum-mismatch', message: 'm', path: '$.totalFunds', location: null },
    ]);
    expect(second).toMatchObject({
      data: { totalFunds: '12.00' },
      sources: [{ file: 'c.docx', formIndex: 0 }],
    });
    expect(second.warnings).toEqual([
      expect.objectContaining({ code: 'possible-duplicate', records: [first.id], path: null }),
    ]);
    expect(await storage.batches.recordTotals(batch.id)).toEqual({
      records: 4,
      newRecords: 3,
      updatedRecordIds: [],
    });
    // The warning stays through an edit: it is about the record, not about its form.
    const service = new RecordService(storage.records);
    await service.update(second.id, { ...second.data, totalFunds: '13.00' });
    const [v1, v2] = await service.versions(second.id);
    expect(v1).toMatchObject({ data: { totalFunds: '12.00' }, changes: [], source: { file: 'c.docx' } });
    expect(v2).toMatchObject({
      origin: 'edit',
      source: null,
      changes: [{ path: '$.totalFunds', op: 'change', before: '12.00', after: '13.00' }],
      warnings: [expect.objectContaining({ code: 'possible-duplicate' })],
    });
  });

  it('decides once what is new when many writers store the same filings at the same moment', async () => {
    const batch = await storage.batches.create('import');
    const names = Array.from({ length: 24 }, (_v, i) => `race-${i}.docx`);
    const docs = await storage.documents.insertMany(
      names.map((name) => ({ sha256: sha(name), byteSize: 1, format: 'docx', name })),
    );
    const items = await storage.batches.addItems(
      batch.id,
      names.map((name, i) => ({ position: i + 1, name, documentId: docs.get(sha(name)) as number })),
    );
    // Every third file carries the same content; the others the same filing with amounts of their own.
    const data = (i: number) => ({
      ...specialFund('同时写入'),
      totalFunds: i % 3 === 0 ? '1.00' : `${i + 2}.00`,
    });
    // One writer per file, all started together: on PostgreSQL each is its own transaction on its
    // own connection, so only the locks keep two of them from both deciding a content is new.
    const added = await Promise.all(
      names.map((name, i) =>
        storage.records.storeParsedMany([
          { itemId: items[i], documentId: docs.get(sha(name)) as number, records: [data(i)], warnings: [] },
        ]),
      ),
    );
    const stored = await storage.records.list({ project: '同时写入' }, { limit: 100 });
    const distinct = new Set(names.map((_n, i) => data(i).totalFunds));
    expect(stored).toHaveLength(distinct.size);
    expect(added.flat().reduce((a, b) => a + b, 0)).toBe(distinct.size);
    const shared = stored.find((r) => r.data.totalFunds === '1.00');
    expect(shared?.sources).toHaveLength(8);
    // A form that names no filing (no project) is still stored once for all its copies.
    const unnamed = { ...specialFund('同时写入'), projectName: null, totalFunds: '9.00' };
    const more = await storage.documents.insertMany(
      [1, 2, 3, 4, 5, 6].map((i) => ({
        sha256: sha(`unnamed ${i}`),
        byteSize: 1,
        format: 'docx',
        name: `u${i}.docx`,
      })),
    );
    const moreItems = await storage.batches.addItems(
      batch.id,
      [1, 2, 3, 4, 5, 6].map((i) => ({
        position: 100 + i,
        name: `u${i}.docx`,
        documentId: more.get(sha(`unnamed ${i}`)) as number,
      })),
    );
    await Promise.all(
      [1, 2, 3, 4, 5, 6].map((i, k) =>
        storage.records.storeParsedMany([
          {
            itemId: moreItems[k],
            documentId: more.get(sha(`unnamed ${i}`)) as number,
            records: [unnamed],
            warnings: [],
          },
        ]),
      ),
    );
    const unnamedStored = (await storage.records.list({ batchId: batch.id }, { limit: 100 })).filter(
      (r) => r.data.projectName === null,
    );
    expect(unnamedStored).toHaveLength(1);
    expect(unnamedStored[0].sources).toHaveLength(6);
    // Each record but the first of the filing knows it has an elder of the same filing.
    const byId = [...stored].sort((a, b) => a.id - b.id);
    expect(byId[0].warnings).toEqual([]);
    for (const later of byId.slice(1)) {
      expect(later.warnings).toEqual([
        expect.objectContaining({
          code: 'possible-duplicate',
          records: byId.filter((r) => r.id < later.id).map((r) => r.id),
        }),
      ]);
    }
  });

  it('keeps every earlier version when a record is edited, and refuses a stale or invalid edit', async () => {
    const service = new RecordService(storage.records);
    const [record] = await storage.records.list({ project: '项目甲' }, { limit: 1 });
    const edited = await service.update(record.id, {
      ...record.data,
      projectName: '项目甲（调整）',
      year: 2020,
      id: record.id,
    });
    expect(edited).toMatchObject({ id: record.id, version: 2, projectName: '项目甲（调整）', year: 2020 });
    const found = await storage.records.list({ year: 2020, project: '调整' }, { limit: 10 });
    expect(found.map((r) => r.id)).toEqual([record.id]);
    const history = await service.versions(record.id);
    expect(history.map((v) => [v.version, v.origin, v.data.projectName])).toEqual([
      [1, 'import', '项目甲'],
      [2, 'edit', '项目甲（调整）'],
    ]);
    await expect(service.update(record.id, { ...record.data, version: 1 })).rejects.toMatchObject({
      code: ErrorCode.Conflict,
    });
    await expect(service.update(record.id, { ...record.data, totalFunds: '10' })).rejects.toMatchObject({
      code: ErrorCode.InvalidRecord,
      details: { fieldErrors: [{ path: '$.totalFunds' }] },
    });
    await expect(service.update(999999, record.data)).rejects.toMatchObject({ code: ErrorCode.NotFound });
    expect((await service.versions(record.id)).length).toBe(2);
  });
});

describe('prepared statements on PostgreSQL', () => {
  /** The statements this connection has prepared, after one look-up of documents on it. */
  async function preparedAfterLookup(storage: Storage): Promise<string[]> {
    return storage.db.transaction(async (tx) => {
      expect([...(await storage.documents.existing([sha('nothing stored')], tx))]).toEqual([]);
      const rows = await tx.query<{ name: string }>('SELECT name FROM pg_prepared_statements ORDER BY name');
      return rows.map((r) => r.name);
    });
  }

  it('keeps the named statements prepared on the connection by default', async () => {
    const env = testEnv();
    const storage = await Storage.open(testConfig(env));
    try {
      expect(await preparedAfterLookup(storage)).toContain('existing-documents');
    } finally {
      await storage.close();
      await dropSchema(env.DATABASE_SCHEMA);
    }
  });

  it('sends every statement unnamed with DATABASE_PREPARED_STATEMENTS=false (a pooler that cannot keep them)', async () => {
    const env = testEnv({ DATABASE_PREPARED_STATEMENTS: 'false' });
    const storage = await Storage.open(testConfig(env));
    try {
      expect(await preparedAfterLookup(storage)).toEqual([]);
    } finally {
      await storage.close();
      await dropSchema(env.DATABASE_SCHEMA);
    }
  });
});
