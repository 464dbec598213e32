import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { unzipSync } from 'fflate';
import { FormParser } from '@formbridge/forms';
import { rollForward } from '@formbridge/queue';
import { RecordService, Storage } from '@formbridge/storage';
import { WORD_FIXTURES, writeVariants } from './support/bulk-files';
import { withoutLayer } from './support/docx-parts';
import {
  Running,
  dropQueues,
  dropSchema,
  exportOverHttp,
  startService,
  start,
  testConfig,
  testEnv,
} from './support/bulk-env';
import { ROOT, formbridge } from './support/cli';

const CLI = join(ROOT, 'bin', 'formbridge.js');

function run(args: string[], env: Record<string, string>): Record<string, unknown> {
  const r = formbridge([...args, '--compact'], env);
  if (r.status !== 0) throw new Error(`${args[0]} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('formbridge export (PostgreSQL + Redis)', () => {
  const env = testEnv();
  const dir = mkdtempSync(join(tmpdir(), 'fb-export-'));
  const parser = new FormParser();
  let storage: Storage;
  let worker: Running | undefined;

  beforeAll(async () => {
    writeVariants(join(dir, 'in'), 12, 'e');
    const imported = run(['import', join(dir, 'in'), join(WORD_FIXTURES, 'seed-all.docx')], env);
    expect(imported).toMatchObject({ failed: 0, records: 16 });
    storage = await Storage.open(testConfig(env));
  });

  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await storage?.close();
    await dropSchema(env.DATABASE_SCHEMA);
    await dropQueues(env.QUEUE_PREFIX);
    rmSync(dir, { recursive: true, force: true });
  });

  it("rolls last year's records forward with --as-year: one .docx per record that parses back to the rolled record, and an .xlsx index", async () => {
    // Give one record what a filed form has: a review opinion and date, and a filing date.
    const records = new RecordService(storage.records);
    const [target] = await storage.records.list(
      { formType: 'special-fund-performance-target', project: 'e3建设' },
      { limit: 1 },
    );
    const reviewed = {
      ...target.data,
      reviews: [
        { authority: '财政部门预算股', opinion: '同意。', date: '2019-04-02' },
        ...(target.data.reviews as object[]).slice(1),
      ],
      filledOn: '2019-03-15',
    };
    await records.update(target.id, reviewed);

    const out = join(dir, 'out-2020');
    const summary = run(['export', '--year', '2019', '--as-year', '2020', '--out', out], env);
    expect(summary).toMatchObject({
      status: 'completed',
      records: 16,
      written: 16,
      failed: 0,
      asYear: 2020,
      index: 'index.xlsx',
    });

    const files = readdirSync(out).filter((f) => f.endsWith('.docx'));
    expect(files).toHaveLength(16);
    expect(files.every((f) => /^2020年_(专项资金|部门整体支出)绩效目标申报表_.+_r\d+\.docx$/.test(f))).toBe(
      true,
    );
    const mine = files.find((f) => f.endsWith(`_r${target.id}.docx`)) as string;
    const parsed = parser.parseDocx(readFileSync(join(out, mine))).records;
    expect(parsed).toHaveLength(1);
    expect(parsed[0]).toEqual(rollForward(reviewed, 2020));
    expect(parsed[0]).toMatchObject({
      year: 2020,
      filledOn: null,
      projectAttribute: 'continuing',
      reviews: [{ authority: '财政部门预算股', opinion: null, date: null }, expect.anything()],
      schedule: [expect.objectContaining({ start: '2020-01', end: '2020-12' })],
    });
    // The stored record is untouched: exporting never edits.
    expect(await records.getPublic(target.id)).toMatchObject({
      year: 2019,
      version: 2,
      filledOn: '2019-03-15',
    });

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(out, 'index.xlsx'));
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(17);
    expect(sheet.getRow(1).values).toEqual([
      undefined,
      '文件',
      '记录编号',
      '表名',
      '年度',
      '原年度',
      '部门名称',
      '项目名称',
      '状态',
      '原因',
    ]);
    const rows = Array.from({ length: 16 }, (_, i) => sheet.getRow(i + 2).values as unknown[]);
    expect(rows.map((r) => r[1]).sort()).toEqual([...files].sort());
    expect(rows.every((r) => r[4] === 2020 && r[5] === 2019 && r[8] === '已生成')).toBe(true);
  });

  it("--as-year into a year of 附件2-1's 2022 edition: drawn in that edition's layout, every field carried over", async () => {
    const [stored] = await storage.records.list(
      { formType: 'special-fund-performance-target', project: 'e5建设' },
      { limit: 1 },
    );
    const out = join(dir, 'out-2023');
    const summary = run(
      ['export', '--year', '2019', '--project', 'e5建设', '--as-year', '2023', '--out', out],
      env,
    );
    expect(summary).toMatchObject({ status: 'completed', records: 1, written: 1, failed: 0, asYear: 2023 });
    const [file] = readdirSync(out).filter((f) => f.endsWith('.docx'));
    const bytes = readFileSync(join(out, file));
    // Read by its printed labels alone, the form is the 2022 edition's, and gives the rolled record.
    const printed = parser.parseDocx(withoutLayer(bytes));
    expect(printed.forms).toEqual([{ formType: 'special-fund-performance-target', edition: '2022' }]);
    expect(printed.records).toEqual([rollForward(stored.data, 2023)]);
    expect(printed.records[0]).toMatchObject({ year: 2023, projectName: stored.data.projectName });
  });

  it("is generated by another process's workers with --no-local-workers, and filters by form type", async () => {
    worker = start([CLI, 'worker', '--queues', 'generate'], env);
    const out = join(dir, 'out-dept');
    const summary = run(
      ['export', '--form-type', 'department-overall-performance-target', '--out', out, '--no-local-workers'],
      env,
    );
    expect(summary).toMatchObject({ status: 'completed', records: 1, written: 1, failed: 0, asYear: null });
    const [file] = readdirSync(out).filter((f) => f.endsWith('.docx'));
    const [stored] = await storage.records.list(
      { formType: 'department-overall-performance-target' },
      { limit: 1 },
    );
    const [parsed] = parser.parseDocx(readFileSync(join(out, file))).records;
    expect(parsed).toMatchObject({
      formType: stored.data.formType,
      year: 2019,
      departmentName: stored.department,
      budget: stored.data.budget,
    });

    // With both: the files this process rendered are written as they are rendered, those the other
    // process rendered are read back from the blob store; either way every file is there, whole.
    const mixed = join(dir, 'out-mixed');
    expect(run(['export', '--out', mixed], env)).toMatchObject({
      status: 'completed',
      written: 16,
      failed: 0,
    });
    const written = readdirSync(mixed).filter((f) => f.endsWith('.docx'));
    expect(written).toHaveLength(16);
    for (const f of written) expect(parser.parseDocx(readFileSync(join(mixed, f))).records).toHaveLength(1);
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(143);
    worker = undefined;
  });

  it('keeps no copy of the files it wrote to its folder unless --keep-files; such an export has no download', async () => {
    const blobs = async () =>
      (await storage.db.query<{ n: number }>('SELECT count(*)::int AS n FROM blobs'))[0].n;
    const blobOf = async (sha256: string) =>
      (
        await storage.db.query<{ n: number }>('SELECT count(*)::int AS n FROM blobs WHERE sha256 = $1', [
          sha256,
        ])
      )[0].n;
    const itemsOf = (batchId: number) =>
      storage.db.query<{ output_sha256: string; output_name: string }>(
        `SELECT output_sha256, output_name FROM batch_items WHERE batch_id = $1 AND status = 'done'`,
        [batchId],
      );
    const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

    const before = await blobs();
    const out = join(dir, 'out-unkept');
    const unkept = run(['export', '--project', 'e2建设', '--out', out], env);
    expect(unkept).toMatchObject({ status: 'completed', written: 1, failed: 0, filesKept: false });
    const [item] = await itemsOf(unkept.batchId as number);
    // The item says what was written, and the file is whole; the database holds no copy of it.
    expect(sha256(readFileSync(join(out, item.output_name)))).toBe(item.output_sha256);
    expect(await blobs()).toBe(before);

    const keptOut = join(dir, 'out-kept');
    const kept = run(['export', '--project', 'e2建设', '--keep-files', '--out', keptOut], env);
    expect(kept).toMatchObject({ status: 'completed', written: 1, failed: 0, filesKept: true });
    const [keptItem] = await itemsOf(kept.batchId as number);
    expect(await blobOf(keptItem.output_sha256)).toBe(1);
    expect(readFileSync(join(keptOut, keptItem.output_name))).toEqual(
      readFileSync(join(out, item.output_name)),
    );

    const service = await startService('parser', env);
    try {
      const refused = await fetch(`${service.base}/exports/${unkept.batchId as number}/download`);
      expect(refused.status).toBe(410);
      const body = (await refused.json()) as { code: string; message: string };
      expect(body.code).toBe('EXPIRED');
      expect(body.message).toContain(out);
      expect(body.message).toContain('--keep-files');

      const zip = await fetch(`${service.base}/exports/${kept.batchId as number}/download`);
      expect(zip.status).toBe(200);
      const entries = unzipSync(new Uint8Array(await zip.arrayBuffer()));
      expect(entries[keptItem.output_name]).toEqual(
        new Uint8Array(readFileSync(join(keptOut, keptItem.output_name))),
      );

      const list = (await (await fetch(`${service.base}/exports?limit=100`)).json()) as {
        items: Array<{ batchId: number; filesAvailable?: boolean }>;
      };
      const listed = new Map(list.items.map((b) => [b.batchId, b.filesAvailable]));
      expect(listed.get(unkept.batchId as number)).toBe(false);
      expect(listed.get(kept.batchId as number)).toBe(true);
      const report = (await (await fetch(`${service.base}/exports/${unkept.batchId as number}`)).json()) as {
        filesAvailable?: boolean;
      };
      expect(report.filesAvailable).toBe(false);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });

  it('says so when its index cannot be written, instead of waiting for ever, and leaves no half of one', () => {
    const out = join(dir, 'out-blocked');
    // A folder where the index is first written: the disk refuses the file (EISDIR).
    mkdirSync(join(out, 'index.xlsx.partial'), { recursive: true });
    const r = formbridge(
      ['export', '--form-type', 'department-overall-performance-target', '--out', out, '--compact'],
      env,
    );
    expect(r.error).toBeUndefined(); // not killed by the timeout
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(
      /could not write the index .*index\.xlsx \(EISDIR.*batch \d+'s files were written/,
    );
    expect(readdirSync(out).filter((f) => f.endsWith('.docx'))).toHaveLength(1);
    expect(readdirSync(out)).not.toContain('index.xlsx');
  });

  it('over HTTP: POST /exports, its report, the .zip download; GET /records/:id/docx', async () => {
    const service = await startService('parser', env);
    const base = service.base;
    worker = start([CLI, 'worker', '--queues', 'generate'], env);
    try {
      const { entries, contentType } = await exportOverHttp(
        base,
        { year: 2019, project: 'e1', asYear: 2021 },
        30_000,
      );
      expect(contentType).toBe('application/zip');
      // e1, e10, e11, e12
      const docs = Object.keys(entries).filter((n) => n.endsWith('.docx'));
      expect(docs).toHaveLength(4);
      expect(Object.keys(entries)).toContain('index.xlsx');
      for (const name of docs)
        expect(parser.parseDocx(entries[name]).records[0]).toMatchObject({
          year: 2021,
          projectAttribute: 'continuing',
        });

      const [record] = await storage.records.list({ project: 'e2建设' }, { limit: 1 });
      const docx = await fetch(`${base}/records/${record.id}/docx`);
      expect(docx.status).toBe(200);
      expect(docx.headers.get('content-disposition')).toContain(encodeURIComponent('基层政权和社区e2建设'));
      expect(parser.parseDocx(new Uint8Array(await docx.arrayBuffer())).records).toEqual([record.data]);
    } finally {
      service.child.kill('SIGTERM');
      await service.exited;
    }
  });

  it('stopped while its index is being written (SIGTERM), leaves no half of one', async () => {
    const out = join(dir, 'out-stopped');
    // No worker anywhere renders this export's forms: it waits, its index begun.
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    worker = undefined;
    const stopped = start([CLI, 'export', '--out', out, '--no-local-workers', '--compact'], env);
    const partial = join(out, 'index.xlsx.partial');
    for (const until = Date.now() + 30_000; !existsSync(partial) && Date.now() < until;)
      await new Promise((resolve) => setTimeout(resolve, 50));
    expect(existsSync(partial)).toBe(true);
    stopped.child.kill('SIGTERM');
    expect(await stopped.exited).toBe(143);
    expect(stopped.stderr()).toMatch(/export batch \d+ stopped before it was finished/);
    expect(readdirSync(out)).toEqual([]);
  });
});
