import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningService, startService, stopService, testEnv } from './support/bulk-env';
import { FIXTURES, canonical, goldenRecords } from './support/golden';

/**
 * The built parser service as deployed, over real HTTP. (Nest 12 ships as ESM only, which Jest's
 * CommonJS runtime cannot load in-process; Node 20.19 loads it natively, so the service runs as
 * its own process.)
 */
describe('parser service over HTTP', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-parse-http-'));
  const env = testEnv({ MAX_FILE_BYTES: String(2 * 1024 * 1024) });
  let service: RunningService;
  let base: string;

  beforeAll(async () => {
    service = await startService('parser', env);
    base = service.base;
  });

  afterAll(async () => {
    await stopService(service, env);
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = async (path: string, name: string, bytes: Uint8Array) => {
    const form = new FormData();
    form.append('file', new Blob([bytes]), name);
    const res = await fetch(`${base}${path}`, { method: 'POST', body: form });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('POST /parse returns every record of a multi-form submission', async () => {
    const res = await upload(
      '/parse',
      '申报表.docx',
      readFileSync(join(FIXTURES, 'legacy', 'wps', 'seed-all.docx')),
    );
    expect(res.status).toBe(200);
    expect((res.body.records as unknown[]).map(canonical)).toEqual(goldenRecords().map(canonical));
    expect(Array.isArray(res.body.warnings)).toBe(true);
  });

  it('400 for an unreadable Word file, with the error code', async () => {
    const res = await upload('/parse', 'x.docx', readFileSync(join(FIXTURES, 'bad', 'truncated.docx')));
    expect(res).toMatchObject({ status: 400, body: { code: 'CORRUPT_FILE' } });
  });

  it('400 for an encrypted file, saying so', async () => {
    const res = await upload('/parse', 'x.docx', readFileSync(join(FIXTURES, 'bad', 'encrypted.docx')));
    expect(res).toMatchObject({
      status: 400,
      body: { code: 'ENCRYPTED', message: expect.stringContaining('password') },
    });
  });

  it('400 when no file is sent', async () => {
    const res = await fetch(`${base}/parse`, { method: 'POST', body: new FormData() });
    expect(res.status).toBe(400);
  });

  it('415 for a file that is not Word', async () => {
    const res = await upload('/parse', 'x.docx', readFileSync(join(FIXTURES, 'bad', 'image.docx')));
    expect(res).toMatchObject({ status: 415, body: { code: 'NOT_WORD' } });
  });

  it('413 above the size limit', async () => {
    const res = await upload('/parse', 'big.docx', Buffer.alloc(3 * 1024 * 1024, 0x20));
    expect(res.status).toBe(413);
  });

  it('serves a health endpoint and OpenAPI docs describing /parse', async () => {
    expect((await fetch(`${base}/health`)).status).toBe(200);
    const docs = (await (await fetch(`${base}/docs/json`)).json()) as { paths: object };
    expect(Object.keys(docs.paths)).toEqual(expect.arrayContaining(['/parse', '/preview']));
  });

  it('GET /definitions serves every form definition with the JSON Schema of its records, for pages built from them', async () => {
    const list = (await (await fetch(`${base}/definitions`)).json()) as Array<{
      formType: string;
      edition: string;
      fields: Array<{ path: string }>;
      schema: { properties: Record<string, unknown> };
      layout?: unknown;
    }>;
    const seed1 = goldenRecords()[0];
    const special = list.find((d) => d.formType === seed1.formType)!;
    expect(special.edition).toBe('2019');
    expect(special.layout).toBeUndefined();
    expect(Object.keys(special.schema.properties).sort()).toEqual(Object.keys(seed1).sort());
    expect(special.fields.map((f) => f.path)).toContain('indicators');
    const one = await fetch(`${base}/definitions/${String(seed1.formType)}`);
    expect(one.status).toBe(200);
    // Oldest edition first: 附件2-1 has its 2019 and 2022 editions.
    expect(
      ((await one.json()) as { editions: Array<{ edition: string }> }).editions.map((e) => e.edition),
    ).toEqual(['2019', '2022']);
    const missing = await fetch(`${base}/definitions/no-such-form`);
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ code: 'NOT_FOUND' });
    const docs = (await (await fetch(`${base}/docs/json`)).json()) as {
      components: { schemas: Record<string, { oneOf?: unknown[] }> };
    };
    expect(docs.components.schemas.FormRecord.oneOf).toHaveLength(
      list.map((d) => d.formType).filter((t, i, a) => a.indexOf(t) === i).length,
    );
    expect(docs.components.schemas[String(seed1.formType)]).toMatchObject({ type: 'object' });
  });

  it('POST /preview renders an HTML view of the submission', async () => {
    const res = await upload(
      '/preview',
      'a.docx',
      readFileSync(join(FIXTURES, 'legacy', 'word', 'seed-1.docx')),
    );
    expect(res.status).toBe(200);
    expect(res.body.html).toContain('专项资金绩效目标申报表');
  });
});
