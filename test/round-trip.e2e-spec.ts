import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadConfig } from '@formbridge/config';
import { generateStoredDocx } from '@formbridge/forms';
import { PublicRecord, RecordService, Storage } from '@formbridge/storage';
import { dropQueues, dropSchema, testConfig, testEnv } from './support/bulk-env';
import { ROOT, formbridge } from './support/cli';
import {
  editDocumentXml,
  editParts,
  partText,
  setControlText,
  tableRows,
  textOf,
} from './support/docx-parts';

/**
 * The collect-back workflow as a bureau runs it: filings imported, exported as forms, filled in
 * by departments (edited by hand in the XML here, then re-saved by LibreOffice, which keeps the
 * document properties and drops the content controls' tags) and imported back.
 */
interface Summary {
  batchId: number;
  records: number;
  newRecords: number;
  updatedRecords: number;
  updatedRecordIds: number[];
  conflicts: Array<{
    file: string;
    formIndex: number;
    recordId: number;
    conflictId: number;
    code: string;
    paths: string[];
  }>;
  failures: unknown[];
  warnings: Array<{ file: string; code: string; message: string }>;
}

const soffice = loadConfig().SOFFICE_PATH;
const hasSoffice = spawnSync(soffice, ['--version'], { encoding: 'utf8' }).error === undefined;
if (!hasSoffice) console.warn(`round-trip: the LibreOffice re-save is skipped, ${soffice} is not installed`);

describe('returned forms become the next version of their record (PostgreSQL + Redis)', () => {
  const env = testEnv();
  const dir = mkdtempSync(join(tmpdir(), 'fb-return-'));
  let storage: Storage;
  let service: RecordService;
  let seed1: PublicRecord;

  const run = (args: string[]) => {
    const r = formbridge(args, env);
    if (r.status !== 0) throw new Error(`formbridge ${args[0]} exited ${r.status}: ${r.stderr}`);
    return r.stdout;
  };
  const importFiles = (...files: string[]) => JSON.parse(run(['import', '--compact', ...files])) as Summary;
  const write = (name: string, bytes: Uint8Array) => {
    const file = join(dir, name);
    writeFileSync(file, bytes);
    return file;
  };
  /** Saves a .docx again with LibreOffice, as a department using it would. */
  const resave = (file: string): string => {
    const out = join(dir, 'resaved');
    const r = spawnSync(
      soffice,
      [
        `-env:UserInstallation=${pathToFileURL(join(dir, 'profile')).href}`,
        '--headless',
        '--convert-to',
        'docx:MS Word 2007 XML',
        '--outdir',
        out,
        file,
      ],
      { encoding: 'utf8', timeout: 120_000 },
    );
    if (r.status !== 0) throw new Error(`soffice failed: ${r.stderr}`);
    return join(out, file.replace(/^.*\//, ''));
  };

  beforeAll(async () => {
    storage = await Storage.open(testConfig(env));
    service = new RecordService(storage.records);
    mkdirSync(join(dir, 'legacy'));
    for (const f of ['seed-1.docx', 'seed-2.docx', 'seed-4.docx'])
      copyFileSync(join(ROOT, 'fixtures', 'legacy', 'word', f), join(dir, 'legacy', f));
    const first = importFiles(join(dir, 'legacy'));
    expect(first).toMatchObject({ newRecords: 3, updatedRecords: 0 });
    [seed1] = (await service.list({ project: '基层政权和社区建设' }, 5, 0)).items;
  });

  afterAll(async () => {
    await storage?.close();
    await dropSchema(env.DATABASE_SCHEMA);
    await dropQueues(env.QUEUE_PREFIX);
    rmSync(dir, { recursive: true, force: true });
  });

  it('stamps every form generated from a stored record with the deployment, record id and version', () => {
    run(['export', '--out', join(dir, 'export'), '--project', '基层政权和社区建设']);
    const [name] = readdirSync(join(dir, 'export')).filter((f) => f.endsWith('.docx'));
    const custom = partText(readFileSync(join(dir, 'export', name)), 'docProps/custom.xml');
    const prop = (key: string) =>
      new RegExp(`name="${key.replace(/\./g, '\\.')}"[^>]*><vt:lpwstr>([^<]*)<`).exec(custom)?.[1];
    expect(prop('FormBridge.Deployment')).toBe(storage.instanceId);
    expect(prop('FormBridge.Form1.RecordId')).toBe(String(seed1.id));
    expect(prop('FormBridge.Form1.Version')).toBe('1');
    expect(prop('FormBridge.Form1.Seal')).toMatch(/^[0-9a-f]{32}$/);
    // Word keeps content-control tags of at most 64 characters.
    const tags = [
      ...partText(readFileSync(join(dir, 'export', name)), 'word/document.xml').matchAll(
        /<w:tag w:val="([^"]*)"/g,
      ),
    ];
    expect(tags.length).toBeGreaterThan(20);
    expect(tags.every(([, t]) => t.length <= 64)).toBe(true);
  });

  (hasSoffice ? it : it.skip)(
    'takes a form edited by hand and re-saved by LibreOffice back as version 2, with exactly the edited values',
    async () => {
      const [name] = readdirSync(join(dir, 'export')).filter((f) => f.endsWith('.docx'));
      const edited = editDocumentXml(readFileSync(join(dir, 'export', name)), (xml) => {
        let out = setControlText(xml, 'totalFunds', '250.00');
        const timely = tableRows(out).find((r) => textOf(r).startsWith('时效指标'))!;
        out = out.replace(timely, setControlText(timely, 'indicators[].value', '98%'));
        return out;
      });
      const returned = resave(write('returned.docx', edited));
      // LibreOffice keeps the document properties (the stamp) and drops the tags.
      expect(partText(readFileSync(returned), 'docProps/custom.xml')).toMatch(
        new RegExp(`name="FormBridge\\.Form1\\.RecordId"[^>]*><vt:lpwstr>${seed1.id}<`),
      );
      expect(partText(readFileSync(returned), 'word/document.xml')).not.toContain('w:val="totalFunds"');

      const summary = importFiles(returned);
      expect(summary).toMatchObject({
        records: 1,
        newRecords: 0,
        updatedRecords: 1,
        updatedRecordIds: [seed1.id],
        conflicts: [],
      });
      const record = await service.getPublic(seed1.id);
      expect(record.version).toBe(2);
      const [, v2] = await service.versions(seed1.id);
      expect(v2).toMatchObject({
        version: 2,
        origin: 'return',
        baseVersion: 1,
        source: { file: returned, formIndex: 0 },
      });
      expect(v2.changes).toEqual([
        { path: '$.indicators[2].value', op: 'change', before: '100%', after: '98%' },
        { path: '$.totalFunds', op: 'change', before: '226.00', after: '250.00' },
      ]);
      expect(record.sources.map((s) => [s.file, s.version])).toEqual([
        [join(dir, 'legacy', 'seed-1.docx'), 1],
        [returned, 2],
      ]);
      // The version row keeps only what changed; the data is rebuilt from the current record.
      const [row] = await storage.db.query<{ data: unknown }>(
        'SELECT data FROM record_versions WHERE record_id = $1 AND version = 2',
        [seed1.id],
      );
      expect(row.data).toBeNull();
      expect((await service.version(seed1.id, 1)).data.totalFunds).toBe('226.00');

      // The same file again changes nothing.
      expect(importFiles(returned)).toMatchObject({ newRecords: 0, updatedRecords: 0, conflicts: [] });
      expect((await service.getPublic(seed1.id)).version).toBe(2);

      const history = run(['history', String(seed1.id)]);
      expect(history).toContain('v2  return');
      expect(history).toContain('~ $.totalFunds: 226.00 → 250.00');
    },
  );

  it('merges a form returned after the record was edited again, field by field', async () => {
    const base = await service.getPublic(seed1.id);
    const out = join(dir, 'merge.docx');
    run(['generate', '--record', String(seed1.id), '-o', out]);
    await service.update(seed1.id, {
      ...base,
      basis: '根据目标管理考核要求实施（修订）',
      version: base.version,
    });
    const edited = editDocumentXml(readFileSync(out), (xml) =>
      setControlText(xml, 'annualGoal', '年度目标已调整'),
    );
    const summary = importFiles(write('merge-returned.docx', edited));
    expect(summary).toMatchObject({ updatedRecords: 1, updatedRecordIds: [seed1.id], conflicts: [] });
    const merged = await service.getPublic(seed1.id);
    expect(merged).toMatchObject({
      version: base.version + 2,
      basis: '根据目标管理考核要求实施（修订）',
      annualGoal: '年度目标已调整',
      totalFunds: base.totalFunds,
    });
    const versions = await service.versions(seed1.id);
    expect(versions.map((v) => v.origin).slice(-2)).toEqual(['edit', 'return']);
    expect(versions[versions.length - 1].changes).toEqual([
      { path: '$.annualGoal', op: 'change', before: base.annualGoal, after: '年度目标已调整' },
    ]);
  });

  it('applies nothing of a form whose field was changed on both sides, and keeps both sides for review', async () => {
    const base = await service.getPublic(seed1.id);
    const out = join(dir, 'conflict.docx');
    run(['generate', '--record', String(seed1.id), '-o', out]);
    await service.update(seed1.id, { ...base, totalFunds: '260.00', version: base.version });
    const edited = editDocumentXml(readFileSync(out), (xml) =>
      setControlText(setControlText(xml, 'totalFunds', '270.00'), 'longTermGoal', '加强监督'),
    );
    const file = write('conflict-returned.docx', edited);
    const summary = importFiles(file);
    expect(summary).toMatchObject({ newRecords: 0, updatedRecords: 0 });
    expect(summary.conflicts).toEqual([
      {
        file,
        formIndex: 0,
        recordId: seed1.id,
        conflictId: expect.any(Number),
        code: 'CONFLICT',
        paths: ['$.totalFunds'],
      },
    ]);
    const now = await service.getPublic(seed1.id);
    expect(now).toMatchObject({
      version: base.version + 1,
      totalFunds: '260.00',
      longTermGoal: base.longTermGoal,
    });
    const sides = await service.conflict(summary.conflicts[0].conflictId);
    expect(sides).toMatchObject({
      status: 'open',
      baseVersion: base.version,
      currentVersion: base.version + 1,
      base: { totalFunds: base.totalFunds },
      current: { totalFunds: '260.00' },
      returned: { totalFunds: '270.00', longTermGoal: '加强监督' },
    });
    // The person decides: the returned long-term goal stands with the bureau's amount.
    const resolved = await service.resolveConflict(sides.id, {
      record: { ...now, longTermGoal: '加强监督', version: now.version },
    });
    expect(resolved.status).toBe('resolved');
    expect(await service.getPublic(seed1.id)).toMatchObject({
      totalFunds: '260.00',
      longTermGoal: '加强监督',
    });
  });

  it('imports a form with a forged, foreign or mismatched stamp as an ordinary form, never as an update', async () => {
    const [seed2] = (await service.list({ project: '村民委员会' }, 5, 0)).items;
    const [seed4] = (await service.list({ formType: 'department-overall-performance-target' }, 5, 0)).items;
    const before = await service.getPublic(seed1.id);
    const out = join(dir, 'forge.docx');
    run(['generate', '--record', String(seed1.id), '-o', out]);
    const changed = editDocumentXml(readFileSync(out), (xml) => setControlText(xml, 'totalFunds', '999.00'));
    // Someone points the form at another record: the seal no longer matches.
    const forged = editParts(changed, (parts) =>
      parts.set(
        'docProps/custom.xml',
        (parts.get('docProps/custom.xml') ?? '').replace(
          /(name="FormBridge\.Form1\.RecordId"[^>]*><vt:lpwstr>)\d+/,
          `$1${seed2.id}`,
        ),
      ),
    );
    // A form made by another FormBridge deployment, naming the same record id.
    const foreign = generateStoredDocx([await service.get(seed4.id)], {
      id: 'otherdeploy1',
      secret: 'x'.repeat(64),
    });
    const summary = importFiles(write('forged.docx', forged), write('foreign.docx', foreign));
    expect(summary).toMatchObject({ updatedRecords: 0, conflicts: [] });
    expect(
      summary.warnings.filter((w) => w.code === 'return-refused').map((w) => w.file.replace(/^.*\//, '')),
    ).toEqual(['forged.docx', 'foreign.docx']);
    // The forged form is its own record, flagged as the same filing as seed 1; seed 2 is untouched.
    expect(summary.newRecords).toBe(1);
    expect((await service.getPublic(seed2.id)).version).toBe(1);
    expect((await service.getPublic(seed1.id)).version).toBe(before.version);
    const [copy] = (await service.list({ project: '基层政权和社区建设' }, 5, 0)).items.filter(
      (r) => r.id !== seed1.id,
    );
    expect(copy).toMatchObject({ totalFunds: '999.00', version: 1 });
    expect(copy.warnings).toContainEqual(
      expect.objectContaining({ code: 'possible-duplicate', records: [seed1.id] }),
    );
    expect(copy.warnings).toContainEqual(expect.objectContaining({ code: 'return-refused' }));
    // The foreign form has seed 4's content: another source of seed 4, not a version of anything.
    const four = await service.getPublic(seed4.id);
    expect(four.version).toBe(1);
    expect(four.sources.map((s) => s.file.replace(/^.*\//, ''))).toEqual(['seed-4.docx', 'foreign.docx']);
  });
});

describe("the demo's legacy fixtures (embedded database, as `npm run demo`)", () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-demo-'));
  const env = testEnv({ DATABASE_URL: '', PGLITE_DIR: join(dir, 'pglite') });

  afterAll(async () => {
    await dropQueues(env.QUEUE_PREFIX);
    rmSync(dir, { recursive: true, force: true });
  });

  it('gives one record per distinct filing, each with every file that carries it as a source', () => {
    const imported = formbridge(['import', '--compact', join(ROOT, 'fixtures', 'legacy')], env);
    expect(imported.status).toBe(0);
    const summary = JSON.parse(imported.stdout) as Summary;
    const doc = hasSoffice ? 2 : 0;
    expect(summary).toMatchObject({ records: 27 + doc, newRecords: 4, updatedRecords: 0 });
    const listed = formbridge(['records', '--json'], env);
    const records = JSON.parse(listed.stdout) as PublicRecord[];
    const byName = new Map(
      records.map((r) => [
        String(r.projectName ?? r.departmentName),
        r.sources.map((s) => `${s.file.replace(/^.*fixtures\/legacy\//, '')}#${s.formIndex}`).sort(),
      ]),
    );
    const everywhere = (single: string, formIndex: number) =>
      [
        ...['libreoffice', 'word', 'wps'].flatMap((p) => [
          `${p}/${single}.docx#0`,
          `${p}/seed-all.docx#${formIndex}`,
        ]),
        ...(hasSoffice ? [`doc/seed-all.doc#${formIndex}`] : []),
        ...(hasSoffice && single === 'seed-1' ? ['doc/seed-1.doc#0'] : []),
      ].sort();
    expect(Object.fromEntries(byName)).toEqual({
      基层政权和社区建设: everywhere('seed-1', 0),
      对村民委员会和村党支部的补助: everywhere('seed-2', 1),
      惠民项目资金: everywhere('seed-3', 2),
      衡阳市石鼓区合江街道办事处: everywhere('seed-4', 3),
    });
    expect(records.every((r) => r.version === 1 && r.warnings.length === 0)).toBe(true);
  });
});
