import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { configureApp } from '@formbridge/server';
import { ParserModule } from '../apps/parser/src/parser.module';
import { FIXTURES, canonical, goldenRecords } from './support/golden';

describe('parser service over HTTP', () => {
  let app: INestApplication;

  beforeAll(async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ParserModule] }).compile();
    app = configureApp(moduleRef.createNestApplication({ logger: false }), 'FormBridge parser', 'test');
    await app.init();
  });

  afterAll(async () => {
    await app.close();
  });

  const upload = (name: string, bytes: Buffer) =>
    request(app.getHttpServer()).post('/parse').attach('file', bytes, { filename: name });

  it('POST /parse returns every record of a multi-form submission', async () => {
    const res = await upload(
      '申报表.docx',
      readFileSync(join(FIXTURES, 'legacy', 'wps', 'seed-all.docx')),
    ).expect(200);
    expect((res.body as { records: unknown[] }).records.map(canonical)).toEqual(
      goldenRecords().map(canonical),
    );
  });

  it('400 for an unreadable Word file, with the error code', async () => {
    const res = await upload('x.docx', readFileSync(join(FIXTURES, 'bad', 'truncated.docx'))).expect(400);
    expect(res.body).toMatchObject({ code: 'CORRUPT_FILE' });
  });

  it('400 when no file is sent', async () => {
    await request(app.getHttpServer()).post('/parse').expect(400);
  });

  it('415 for a file that is not Word', async () => {
    const res = await upload('x.docx', readFileSync(join(FIXTURES, 'bad', 'image.docx'))).expect(415);
    expect(res.body).toMatchObject({ code: 'NOT_WORD' });
  });

  it('413 above the size limit', async () => {
    await upload('big.docx', Buffer.alloc(21 * 1024 * 1024, 0x20)).expect(413);
  });

  it('serves a health endpoint and OpenAPI docs describing /parse', async () => {
    await request(app.getHttpServer()).get('/health').expect(200, /ok/);
    const docs = await request(app.getHttpServer()).get('/docs/json').expect(200);
    expect(Object.keys((docs.body as { paths: object }).paths)).toContain('/parse');
  });

  it('POST /preview renders an HTML view of the submission', async () => {
    const res = await request(app.getHttpServer())
      .post('/preview')
      .attach('file', readFileSync(join(FIXTURES, 'legacy', 'word', 'seed-1.docx')), { filename: 'a.docx' })
      .expect(200);
    expect((res.body as { html: string }).html).toContain('专项资金绩效目标申报表');
  });
});
