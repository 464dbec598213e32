import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BAD_FIXTURES, WORD_FIXTURES, seedVariant, variantProject, zipOf } from './support/bulk-files';
import {
  RunningService,
  SERVICE_START_MS,
  startService,
  stopService,
  testEnv,
  waitFor,
} from './support/bulk-env';
import { editDocumentXml, setControlText } from './support/docx-parts';

const TOKEN = 'test-token-0123456789abcdef';

/**
 * The parser service as deployed, on the embedded database (PGlite, no DATABASE_URL): one process
 * serves the API and runs the parse workers.
 */
describe('bulk HTTP API (parser service on PGlite)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-http-'));
  const env = testEnv({
    DATABASE_URL: '',
    PGLITE_DIR: join(dir, 'pglite'),
    FORMBRIDGE_API_TOKEN: TOKEN,
    MAX_IMPORT_FILES: '6',
  });
  let service: RunningService;
  let base: string;
  const auth = { authorization: `Bearer ${TOKEN}` };

  const api = async (path: string, init: RequestInit = {}) => {
    const res = await fetch(`${base}${path}`, {
      ...init,
      headers: { ...auth, ...(init.headers as Record<string, string>) },
    });
    const text = await res.text();
    const json = res.headers.get('content-type')?.includes('json');
    return {
      status: res.status,
      body: json && text ? (JSON.parse(text) as Record<string, unknown> & { items?: unknown[] }) : { text },
    };
  };

  const upload = (files: Array<[string, Uint8Array]>) => {
    const form = new FormData();
    for (const [name, bytes] of files) form.append('files', new Blob([bytes]), name);
    return api('/imports', { method: 'POST', body: form });
  };

  beforeAll(async () => {
    service = await startService('parser', env);
    base = service.base;
  }, SERVICE_START_MS + 10_000);

  afterAll(async () => {
    await stopService(service, env);
    rmSync(dir, { recursive: true, force: true });
  });

  it('requires the API token everywhere but /health', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    for (const path of ['/records', '/imports/1', '/queues', '/parse']) {
      const method = path === '/parse' ? 'POST' : 'GET';
      expect((await fetch(`${base}${path}`, { method })).status).toBe(401);
      expect(
        (
          await fetch(`${base}${path}`, {
            method,
            headers: { authorization: 'Bearer wrong-token-0123456789abcd' },
          })
        ).status,
      ).toBe(401);
    }
    const dashboard = await api('/queues');
    expect(dashboard.status).toBe(200);
    expect(dashboard.body.text).toContain('<!DOCTYPE');
  });

  let recordId: number;

  it('imports an upload of files and a zip: 202 with a batch id, then the report', async () => {
    const accepted = await upload([
      ['seed-2.docx', readFileSync(join(WORD_FIXTURES, 'seed-2.docx'))],
      ['坏文件.docx', readFileSync(join(BAD_FIXTURES, 'not-a-zip.docx'))],
      ['batch.zip', zipOf({ 'a.docx': seedVariant('h1'), 'b/b.docx': seedVariant('h2') })],
    ]);
    expect(accepted).toMatchObject({ status: 202, body: { batchId: expect.any(Number), status: 'queued' } });
    const id = accepted.body.batchId as number;
    const report = await waitFor(
      async () => {
        const r = await api(`/imports/${id}`);
        return r.body.status === 'completed' ? r.body : undefined;
      },
      30_000,
      'the import to complete',
    );
    expect(report).toMatchObject({ total: 4, done: 3, failed: 1, records: 3, newRecords: 3 });
    expect(report.failures).toEqual([{ file: '坏文件.docx', code: 'NOT_WORD', reason: expect.any(String) }]);

    const page = await api(`/records?batchId=${id}&limit=2`);
    expect(page.body).toMatchObject({ total: 3, limit: 2, offset: 0 });
    expect(page.body.items).toHaveLength(2);
    const found = await api(`/records?project=${encodeURIComponent(variantProject('h2'))}`);
    expect(found.body.items).toEqual([
      expect.objectContaining({
        projectName: variantProject('h2'),
        source: expect.objectContaining({ file: 'batch.zip!/b/b.docx' }),
      }),
    ]);
    recordId = (found.body.items as Array<{ id: number }>)[0].id;
    expect((await api('/imports/999999')).status).toBe(404);
  });

  it('edits a record through the contract and keeps every version', async () => {
    const { body: record } = await api(`/records/${recordId}`);
    const edited = { ...record, totalFunds: '300.00', projectAttribute: 'new' };
    const put = await api(`/records/${recordId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(edited),
    });
    expect(put).toMatchObject({
      status: 200,
      body: { id: recordId, version: 2, totalFunds: '300.00', projectAttribute: 'new' },
    });

    const invalid = await api(`/records/${recordId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...edited, version: 2, totalFunds: '300' }),
    });
    expect(invalid).toMatchObject({
      status: 400,
      body: {
        code: 'INVALID_RECORD',
        details: { errors: [expect.objectContaining({ path: '$.totalFunds' })] },
      },
    });
    const stale = await api(`/records/${recordId}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...edited, version: 1 }),
    });
    expect(stale).toMatchObject({ status: 409, body: { code: 'CONFLICT' } });

    const versions = await api(`/records/${recordId}/versions`);
    expect(
      (
        versions.body as unknown as Array<{ version: number; origin: string; data: { totalFunds: string } }>
      ).map((v) => [v.version, v.origin, v.data.totalFunds]),
    ).toEqual([
      [1, 'import', '226.00'],
      [2, 'edit', '300.00'],
    ]);
    expect((await api('/records/999999')).status).toBe(404);
  });

  it("takes a form downloaded from the API back as the record's next version; versions and conflicts", async () => {
    const json = { 'content-type': 'application/json' };
    const download = await fetch(`${base}/records/${recordId}/docx`, { headers: auth });
    const bytes = new Uint8Array(await download.arrayBuffer());
    const importAndWait = async (files: Array<[string, Uint8Array]>) => {
      const accepted = await upload(files);
      return waitFor(
        async () => {
          const r = await api(`/imports/${accepted.body.batchId as number}`);
          return r.body.status === 'completed' ? r.body : undefined;
        },
        30_000,
        'the import to complete',
      );
    };
    // The bureau edits the amount while the department fills in the basis on the form.
    const { body: current } = await api(`/records/${recordId}`);
    const edit = await api(`/records/${recordId}`, {
      method: 'PUT',
      headers: json,
      body: JSON.stringify({ ...current, totalFunds: '310.00' }),
    });
    expect(edit.body).toMatchObject({ version: 3 });
    const filled = editDocumentXml(bytes, (xml) => setControlText(xml, 'basis', '依据已更新'));
    expect(await importAndWait([['退回.docx', filled]])).toMatchObject({
      newRecords: 0,
      updatedRecords: 1,
      updatedRecordIds: [recordId],
      conflicts: [],
    });
    const v4 = await api(`/records/${recordId}/versions/4`);
    expect(v4.body).toMatchObject({
      version: 4,
      origin: 'return',
      baseVersion: 2,
      source: { file: '退回.docx', formIndex: 0 },
      changes: [{ path: '$.basis', op: 'change', after: '依据已更新' }],
      data: { basis: '依据已更新', totalFunds: '310.00' },
    });
    const { body: record } = await api(`/records/${recordId}`);
    expect(record).toMatchObject({ version: 4, warnings: [] });
    expect((record.sources as Array<{ file: string }>).map((s) => s.file)).toEqual([
      'batch.zip!/b/b.docx',
      '退回.docx',
    ]);

    // Another copy of the same form changes the amount the bureau changed too: a conflict.
    const clash = editDocumentXml(bytes, (xml) => setControlText(xml, 'totalFunds', '320.00'));
    const report = await importAndWait([['再次退回.docx', clash]]);
    expect(report).toMatchObject({
      updatedRecords: 0,
      conflicts: [
        expect.objectContaining({
          code: 'CONFLICT',
          paths: ['$.totalFunds'],
          recordId,
          file: '再次退回.docx',
        }),
      ],
    });
    const conflictId = (report.conflicts as Array<{ conflictId: number }>)[0].conflictId;
    expect((await api('/conflicts')).body).toEqual([
      expect.objectContaining({ id: conflictId, recordId, status: 'open' }),
    ]);
    expect((await api(`/records/${recordId}/conflicts`)).body).toEqual([
      expect.objectContaining({ id: conflictId }),
    ]);
    const sides = await api(`/conflicts/${conflictId}`);
    expect(sides.body).toMatchObject({
      baseVersion: 2,
      currentVersion: 4,
      base: { totalFunds: '300.00' },
      current: { totalFunds: '310.00' },
      returned: { totalFunds: '320.00' },
    });
    const resolved = await api(`/conflicts/${conflictId}/resolve`, {
      method: 'POST',
      headers: json,
      body: '{}',
    });
    expect(resolved).toMatchObject({ status: 200, body: { status: 'resolved' } });
    expect((await api('/conflicts')).body).toEqual([]);
    expect((await api(`/records/${recordId}`)).body).toMatchObject({ version: 4, totalFunds: '310.00' });
    expect((await api(`/records/${recordId}/versions/99`)).status).toBe(404);
  });

  it('limits how many files one upload may hold', async () => {
    const tooMany = await upload(
      Array.from({ length: 4 }, (_, i): [string, Uint8Array] => [
        `many-${i}.zip`,
        zipOf({ 'x.docx': seedVariant(`m${i}a`), 'y.docx': seedVariant(`m${i}b`) }),
      ]),
    );
    expect(tooMany.status).toBe(413);
    expect((await api('/records?limit=501')).status).toBe(400);
  });
});
