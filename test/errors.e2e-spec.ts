import { spawn } from 'node:child_process';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { zipSync, strToU8 } from 'fflate';
import { seedVariant } from './support/bulk-files';
import { RunningService, startService, stopService, testEnv, waitFor } from './support/bulk-env';
import { ROOT, formbridge } from './support/cli';

const TOKEN = 'errors-token-0123456789abcdef';
const CLI = join(ROOT, 'bin', 'formbridge.js');

/** An .xlsx as a spreadsheet program writes it (exceljs), with text in it. */
async function spreadsheet(): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  book.addWorksheet('绩效目标').addRow(['项目名称', '基层政权和社区建设']);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

/** The parts of a .pptx that say what it is: content types, the package relationship, a presentation. */
function presentation(): Uint8Array {
  return zipSync({
    '[Content_Types].xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">' +
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>' +
        '<Override PartName="/ppt/presentation.xml" ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>',
    ),
    '_rels/.rels': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">' +
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="ppt/presentation.xml"/></Relationships>',
    ),
    'ppt/presentation.xml': strToU8(
      '<?xml version="1.0" encoding="UTF-8"?><p:presentation xmlns:p="http://schemas.openxmlformats.org/presentationml/2006/main"/>',
    ),
  });
}

describe('one error shape over HTTP, and errors the command line reports plainly', () => {
  const env = testEnv({ FORMBRIDGE_API_TOKEN: TOKEN, MAX_FILE_BYTES: '200000' });
  let service: RunningService;
  const auth = { authorization: `Bearer ${TOKEN}` };
  const call = async (path: string, init: RequestInit = {}, headers: Record<string, string> = auth) => {
    const res = await fetch(`${service.base}${path}`, {
      ...init,
      headers: { ...headers, ...(init.headers as object) },
    });
    const text = await res.text();
    return {
      status: res.status,
      type: res.headers.get('content-type') ?? '',
      body: text ? (JSON.parse(text) as unknown) : null,
    };
  };
  const upload = (path: string, field: string, files: Array<[string, Uint8Array]>) => {
    const form = new FormData();
    for (const [name, bytes] of files) form.append(field, new Blob([bytes]), name);
    return call(path, { method: 'POST', body: form });
  };
  /** Exactly {code, message} or {code, message, details}: nothing else, nothing missing. */
  const errorShape = (code: string) =>
    expect.objectContaining({ code, message: expect.stringMatching(/\S/) }) as unknown;
  const keysOf = (body: unknown) => Object.keys(body as object).sort();

  beforeAll(async () => {
    service = await startService('parser', env);
  });

  afterAll(async () => {
    await stopService(service, env);
  });

  it('unknown routes, a missing token and bad query values answer {code, message, details?}', async () => {
    const unknown = await call('/no-such-route');
    expect(unknown).toMatchObject({ status: 404, body: errorShape('NOT_FOUND') });
    expect(keysOf(unknown.body)).toEqual(['code', 'message']);

    const noToken = await call('/records', {}, {});
    expect(noToken).toMatchObject({ status: 401, body: errorShape('UNAUTHORIZED') });
    expect(keysOf(noToken.body)).toEqual(['code', 'message']);

    const invalid = await call('/records?year=last-year&limit=100000');
    expect(invalid).toMatchObject({ status: 400, body: errorShape('INVALID_INPUT') });
    expect(keysOf(invalid.body)).toEqual(['code', 'details', 'message']);
    const paths = (invalid.body as { details: { errors: Array<{ path: string }> } }).details.errors.map(
      (e) => e.path,
    );
    expect(paths).toEqual(expect.arrayContaining(['$.year', '$.limit']));

    const notJson = await call('/exports', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"year": ',
    });
    expect(notJson).toMatchObject({ status: 400, body: errorShape('INVALID_INPUT') });
  });

  it('the OpenAPI pages and the queue dashboard are behind the token', async () => {
    for (const path of ['/docs', '/docs/json', '/queues']) {
      const refused = await call(path, {}, {});
      expect({ path, ...refused }).toMatchObject({ path, status: 401, body: errorShape('UNAUTHORIZED') });
    }
    expect((await fetch(`${service.base}/docs/json`, { headers: auth })).status).toBe(200);
    expect((await fetch(`${service.base}/health`)).status).toBe(200);
  });

  it('a spreadsheet or a presentation is NOT_WORD, over HTTP and on the command line', async () => {
    const files: Array<[string, Uint8Array]> = [
      ['表.xlsx', await spreadsheet()],
      ['slides.pptx', presentation()],
    ];
    for (const [name, bytes] of files) {
      const res = await upload('/parse', 'file', [[name, bytes]]);
      expect({ name, ...res }).toMatchObject({ name, status: 415, body: errorShape('NOT_WORD') });
    }
    const imported = await upload('/imports', 'files', [files[0]]);
    expect(imported.status).toBe(202);
    const report = await waitFor(
      async () => {
        const r = await call(`/imports/${(imported.body as { batchId: number }).batchId}`);
        return (r.body as { status: string }).status === 'completed'
          ? (r.body as { failures: unknown[] })
          : undefined;
      },
      60_000,
      'the import of a spreadsheet',
    );
    expect(report.failures).toEqual([expect.objectContaining({ code: 'NOT_WORD' })]);
  });

  it('records --json into a reader that stops early (| head) ends quietly', async () => {
    const many = Array.from({ length: 60 }, (_, i): [string, Uint8Array] => [
      `h${i}.docx`,
      seedVariant(`h${i}`),
    ]);
    const imported = await upload('/imports', 'files', many);
    expect({ status: imported.status, service: service.stderr() }).toMatchObject({ status: 202 });
    const batchId = (imported.body as { batchId: number }).batchId;
    await waitFor(
      async () => ((await call(`/imports/${batchId}`)).body as { status: string }).status === 'completed',
      120_000,
      'the import',
    );
    // Like `| head -c 100`: read a little, then close the pipe while the command is still writing.
    const child = spawn(process.execPath, [CLI, 'records', '--json'], {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  }, 180_000);

  it('export without --out is a usage error (exit 2); a bad setting is one line, no stack', () => {
    const noOut = formbridge(['export'], env);
    expect(noOut.status).toBe(2);
    expect(noOut.stderr).toContain("required option '--out <dir>'");

    const badSetting = formbridge(['records'], {
      ...env,
      PARSE_CONCURRENCY: 'many',
      REDIS_URL: 'localhost:6379',
    });
    expect(badSetting.status).toBe(2);
    expect(badSetting.stderr).toMatch(
      /^formbridge: invalid configuration: .*REDIS_URL.*PARSE_CONCURRENCY.*\n$/,
    );
  });

  // Last: a server answering 413 before it has read the whole upload leaves the client's pooled
  // connection broken, and fetch does not retry the next POST on it (write EPIPE).
  it('POST /imports refuses a file over MAX_FILE_BYTES at upload time with 413, like POST /parse', async () => {
    const before = ((await call('/records')).body as { total: number }).total;
    const big = new Uint8Array(300_000).fill(0x41);
    const imports = await upload('/imports', 'files', [
      ['ok.docx', seedVariant('e1')],
      ['big.docx', big],
    ]);
    expect(imports).toMatchObject({ status: 413, body: errorShape('TOO_LARGE') });
    expect((imports.body as { message: string }).message).toContain('big.docx');
    const parse = await upload('/parse', 'file', [['big.docx', big]]);
    expect(parse).toMatchObject({ status: 413, body: errorShape('TOO_LARGE') });
    // Nothing was queued for the refused request.
    const listed = await call('/records');
    expect(listed.body).toMatchObject({ total: before });
  });
});
