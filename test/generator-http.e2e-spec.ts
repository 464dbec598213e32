import type { IncomingMessage } from 'node:http';
import request from 'supertest';
import { FormParser } from '@formbridge/forms';
import { RunningService, startService, stopService, testEnv } from './support/bulk-env';
import { goldenRecords } from './support/golden';

const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** Collects a binary response body as a Buffer (superagent hands Node's response to parsers). */
const binary = ((res: IncomingMessage, done: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => done(null, Buffer.concat(chunks)));
}) as unknown as (res: request.Response, done: (err: Error | null, body: unknown) => void) => void;

/** The generator service as deployed (the built main.js), over real HTTP. */
describe('generator service over HTTP', () => {
  const env = testEnv({ WORKERS_ENABLED: 'false', LOG_LEVEL: 'error', FORMBRIDGE_API_TOKEN: '' });
  const golden = goldenRecords();
  const parser = new FormParser();
  let service: RunningService;
  let base: string;

  beforeAll(async () => {
    service = await startService('generator', env);
    base = service.base;
  });

  afterAll(async () => {
    await stopService(service, env);
  });

  const post = (body: unknown) =>
    request(base).post('/generate').set('Content-Type', 'application/json').send(JSON.stringify(body));

  it('POST /generate with one record answers the .docx of its form, named after the project', async () => {
    const res = await post(golden[0]).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe(DOCX);
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="forms.docx"; filename*=UTF-8''${encodeURIComponent('基层政权和社区建设.docx')}`,
    );
    const body = res.body as Buffer;
    expect(Number(res.headers['content-length'])).toBe(body.length);
    expect(parser.parseDocx(body).records).toEqual([golden[0]]);
  });

  it('POST /generate with {"records": [...]} answers one document holding every form', async () => {
    const res = await post({ records: golden }).buffer(true).parse(binary).expect(200);
    expect(res.headers['content-disposition']).toContain(
      `filename*=UTF-8''${encodeURIComponent('基层政权和社区建设 +3.docx')}`,
    );
    expect(parser.parseDocx(res.body as Buffer).records).toEqual(golden);
  });

  it('takes a request of many records, well over the default 100 kB JSON limit', async () => {
    const records = Array.from({ length: 200 }, (_, i) => ({ ...golden[i % 4], year: 2000 + i }));
    expect(Buffer.byteLength(JSON.stringify({ records }))).toBeGreaterThan(300_000);
    const res = await post({ records }).buffer(true).parse(binary).expect(200);
    expect(parser.parseDocx(res.body as Buffer).records).toEqual(records);
  });

  it('400 for an invalid record, listing each field error with its path and reason', async () => {
    const res = await post({
      records: [golden[0], { ...golden[3], departmentName: null, year: 'last year' }],
    }).expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID_RECORD', message: expect.any(String) });
    const errors = (res.body as { details: { errors: Array<{ path: string; reason: string }> } }).details
      .errors;
    expect(new Set(errors.map((e) => e.path))).toEqual(
      new Set(['$.records[1].departmentName', '$.records[1].year']),
    );
    for (const e of errors) expect(e.reason).toEqual(expect.any(String));
  });

  it('400 for a body that is neither a record nor {"records": [...]}', async () => {
    const res = await post([golden[0]]).expect(400);
    expect(res.body).toMatchObject({ code: 'INVALID_INPUT' });
    await post({ records: [] }).expect(400);
  });

  it('serves a health endpoint and OpenAPI docs describing POST /generate', async () => {
    await request(base).get('/health').expect(200, /ok/);
    const docs = await request(base).get('/docs/json').expect(200);
    const generate = (
      docs.body as { paths: Record<string, { post: { responses: Record<string, { content?: object }> } }> }
    ).paths['/generate'];
    expect(Object.keys(generate.post.responses['200'].content ?? {})).toEqual([DOCX]);
    expect(generate.post.responses['400']).toBeDefined();
    await request(base).get('/docs').expect(200, /html/i);
  });
});
