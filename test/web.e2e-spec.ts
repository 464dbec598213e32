import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { FormParser } from '@formbridge/forms';
import { ROOT } from './support/cli';
import { dropQueues, Running, start, TEST_REDIS_URL, uniqueName, waitFor } from './support/bulk-env';
import { editDocumentXml, setControlText } from './support/docx-parts';

/**
 * The review page in a real browser (Debian's chromium) against `formbridge serve` on the
 * embedded database: sign-in, import, review, edit, history, download, accessibility.
 */
const TOKEN = 'web-test-token-0123456789';
const LEGACY = join(ROOT, 'fixtures', 'legacy', 'word', 'seed-1.docx');
const SEED_3 = join(ROOT, 'fixtures', 'legacy', 'wps', 'seed-3.docx');
// read with warnings: a self-evaluation whose figures do not add up, and a form no definition knows
const MISMATCHES = join(ROOT, 'fixtures', 'family', 'word', 'self-evaluation-mismatches.docx');
const UNKNOWN_FORM = join(ROOT, 'fixtures', 'family', 'libreoffice', '2019-then-unknown-form.docx');
// 自评表, then a 2019 附件3-1, then a 目标表, in one file
const THREE_FORMS = join(ROOT, 'fixtures', 'family', 'wps', 'family-and-2019.docx');
const DOCX = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const OWN_KEYS = ['id', 'version', 'source', 'sources', 'warnings'];

jest.setTimeout(180_000);

let serve: Running;
let base: string;
let dataDir: string;
let prefix: string;
let browser: Browser;
let context: BrowserContext;
let page: Page;

async function axeViolations(p: Page): Promise<string[]> {
  const source = await readFile(require.resolve('axe-core/axe.min.js'), 'utf8');
  await p.evaluate(source);
  const result = await p.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run: (o: unknown) => Promise<{
            violations: Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>;
          }>;
        };
      }
    ).axe;
    return axe.run({ resultTypes: ['violations'] });
  });
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

async function signIn(p: Page, token: string): Promise<void> {
  await p.goto(base);
  await p.getByLabel('访问令牌').fill(token);
  await p.getByRole('button', { name: '登录' }).click();
}

/** Signs in unless this browser context already has a session (tests can run alone with -t). */
async function ensureSignedIn(): Promise<void> {
  if ((await context.cookies()).some((c) => c.name === 'formbridge_session')) return;
  await signIn(page, TOKEN);
  await page.getByRole('heading', { name: '导入 Word 申报文件' }).waitFor();
}

async function getJson<T = Record<string, unknown>>(path: string): Promise<T> {
  const res = await page.request.get(`${base}${path}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as T;
}

type Upload = string | { name: string; mimeType: string; buffer: Buffer };

/** Imports files through the page's file input; resolves with the batch id once it completed. */
async function importOnPage(files: Upload[]): Promise<number> {
  await page.goto(`${base}#/import`);
  await page.getByLabel('选择文件', { exact: true }).setInputFiles(files as string[]);
  const n = files.length;
  await page.getByText(new RegExp(`共 ${n} 个文件：导入 ${n} 个，失败 0 个`)).waitFor({ timeout: 60_000 });
  return Number(/batch=(\d+)/.exec(page.url())![1]);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'formbridge-web-'));
  prefix = uniqueName('fbweb');
  serve = start([join(ROOT, 'bin', 'formbridge.js'), 'serve'], {
    PORT: '0',
    PGLITE_DIR: join(dataDir, 'pglite'),
    DATABASE_URL: '',
    REDIS_URL: TEST_REDIS_URL,
    QUEUE_PREFIX: prefix,
    FORMBRIDGE_API_TOKEN: TOKEN,
    JOB_BACKOFF_MS: '100',
    LOG_LEVEL: 'error',
  });
  base = await waitFor(
    async () => /FormBridge: (http:\S+)/.exec(serve.stdout())?.[1],
    150_000,
    `formbridge serve to print its URL (${serve.stderr()})`,
  );
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  // bypassCSP only so that the test can inject axe-core; the page itself loads nothing inline.
  context = await browser.newContext({
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    bypassCSP: true,
  });
  page = await context.newPage();
});

afterAll(async () => {
  await browser?.close();
  serve?.child.kill('SIGTERM');
  await serve?.exited;
  await dropQueues(prefix);
  await rm(dataDir, { recursive: true, force: true });
});

test('the page is Chinese by default and a wrong token is refused', async () => {
  await page.goto(base);
  expect(await page.getAttribute('html', 'lang')).toBe('zh-CN');
  await expect(await axeViolations(page)).toEqual([]);
  await page.getByLabel('访问令牌').fill('not-the-token-at-all');
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByText('访问令牌不正确').waitFor();
  expect(await page.getByRole('link', { name: '记录' }).count()).toBe(0);
  const api = await page.request.get(`${base}records`);
  expect(api.status()).toBe(401);
  expect((await api.json()).code).toBe('UNAUTHORIZED');
});

test('sign in, import a legacy file, correct an amount, see version 2 and its diff, download the .docx', async () => {
  await signIn(page, TOKEN);
  await page.getByRole('heading', { name: '导入 Word 申报文件' }).waitFor();
  // the session cookie is HttpOnly and SameSite, and also opens the dashboard and the docs
  const cookie = (await context.cookies()).find((c) => c.name === 'formbridge_session');
  expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict' });
  expect((await page.request.get(`${base}queues`)).status()).toBe(200);
  expect((await page.request.get(`${base}docs`)).status()).toBe(200);
  // a data-changing request with the cookie but without the page's CSRF token is refused
  const forged = await page.request.post(`${base}exports`, { data: {} });
  expect(forged.status()).toBe(403);
  expect((await forged.json()).code).toBe('CSRF_REJECTED');

  await page.getByLabel('选择文件', { exact: true }).setInputFiles(LEGACY);
  await page.getByText(/共 1 个文件：导入 1 个，失败 0 个/).waitFor({ timeout: 60_000 });
  expect(await axeViolations(page)).toEqual([]);
  await page.getByRole('link', { name: '基层政权和社区建设' }).first().click();

  const amount = page.getByLabel('资金总额（万元）');
  await amount.waitFor();
  expect(await amount.inputValue()).toBe('226.00');
  expect(await page.getByLabel('专项名称').inputValue()).toBe('基层政权和社区建设');
  await page.getByTitle('原始文件预览').waitFor();
  expect(
    await page
      .frameLocator('iframe[title="原始文件预览"]')
      .getByText('基层政权和社区建设')
      .first()
      .isVisible(),
  ).toBe(true);
  expect(await axeViolations(page)).toEqual([]);

  // usable at 1280×800: no sideways scrolling, the save button on screen
  expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(1280);
  const save = page.getByRole('button', { name: '保存' });
  const box = await save.boundingBox();
  expect(box && box.x + box.width <= 1280 && box.y + box.height <= 800).toBe(true);

  // an invalid value is marked before anything is sent
  await amount.fill('二百五');
  await save.click();
  expect(await amount.getAttribute('aria-invalid')).toBe('true');
  await page.getByText('请填写金额').first().waitFor();

  await amount.fill('250');
  await amount.blur();
  expect(await amount.inputValue()).toBe('250.00');
  await save.click();
  await page.getByText('已保存为第 2 版').waitFor();
  const history = page.locator('details.version').filter({ hasText: '第 2 版' });
  await history.getByRole('cell', { name: '250.00' }).waitFor();
  expect(await history.getByRole('rowheader', { name: '资金总额（万元）' }).count()).toBe(1);
  expect(await history.getByRole('cell', { name: '226.00' }).count()).toBe(1);

  const id = Number(/records\/(\d+)/.exec(page.url())![1]);
  const stored = (await (await page.request.get(`${base}records/${id}`)).json()) as Record<string, unknown>;
  expect(stored).toMatchObject({ version: 2, totalFunds: '250.00' });

  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '下载 .docx' }).click(),
  ]);
  const bytes = await readFile((await download.path())!);
  const parsed = new FormParser().parseDocx(bytes);
  const data = Object.fromEntries(Object.entries(stored).filter(([k]) => !OWN_KEYS.includes(k)));
  expect(parsed.records).toEqual([data]);
});

test("a stale edit says what changed meanwhile and re-applies the clerk's change on the latest version", async () => {
  const list = (await (await page.request.get(`${base}records?limit=1`)).json()) as {
    items: Array<Record<string, unknown>>;
  };
  const record = list.items[0];
  await page.goto(`${base}#/records/${record.id as number}`);
  const duties = page.getByLabel('部门相应职能职责概述');
  await duties.waitFor();
  // someone else saves first (with the token, as a script would)
  const { id: _id, version, source: _s, warnings: _w, ...data } = record;
  const other = await page.request.put(`${base}records/${record.id as number}`, {
    headers: { Authorization: `Bearer ${TOKEN}` },
    data: { ...data, phone: '0734-8888888', version },
  });
  expect(other.status()).toBe(200);
  await duties.fill('社区建设与服务');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText(/你编辑期间，这条记录已被修改为第 \d+ 版/).waitFor();
  await page.getByRole('rowheader', { name: '联系电话' }).waitFor();
  await page.getByRole('button', { name: '在最新版本上重新应用我的修改' }).click();
  expect(await page.getByLabel('联系电话').inputValue()).toBe('0734-8888888');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText(/已保存为第 \d+ 版/).waitFor();
  const saved = (await (await page.request.get(`${base}records/${record.id as number}`)).json()) as Record<
    string,
    unknown
  >;
  expect(saved).toMatchObject({
    phone: '0734-8888888',
    departmentDuties: '社区建设与服务',
    version: (version as number) + 2,
  });
});

test('a returned form in conflict shows both sides on the record page; the choice is stored as the next version', async () => {
  await ensureSignedIn();
  const batchId = await importOnPage([SEED_3]);
  const {
    items: [record],
  } = await getJson<{ items: Array<Record<string, unknown> & { id: number }> }>(`records?batchId=${batchId}`);
  const id = record.id;
  await page.goto(`${base}#/records/${id}`);
  const amount = page.getByLabel('资金总额（万元）');
  await amount.waitFor();
  expect(await amount.inputValue()).toBe('25.00');

  // the form goes out to the department stamped with version 1 …
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: '下载 .docx' }).click(),
  ]);
  const sent = await readFile((await download.path())!);
  // … the bureau corrects the amount on the page meanwhile (version 2) …
  await amount.fill('30');
  await page.getByRole('button', { name: '保存' }).click();
  await page.getByText('已保存为第 2 版').waitFor();
  // … and the department changes the same amount differently, and the long-term goal
  const returned = editDocumentXml(sent, (xml) =>
    setControlText(setControlText(xml, 'totalFunds', '35.00'), 'longTermGoal', '加强社区服务能力建设'),
  );
  await importOnPage([{ name: '惠民项目资金（退回）.docx', mimeType: DOCX, buffer: Buffer.from(returned) }]);
  await page.getByText('与记录冲突的退回表单').waitFor();
  expect(await axeViolations(page)).toEqual([]);
  // nothing of the form was applied
  expect(await getJson(`records/${id}`)).toMatchObject({
    version: 2,
    totalFunds: '30.00',
    longTermGoal: record.longTermGoal,
  });

  await page.getByRole('link', { name: `处理记录 ${id} 的冲突（1 个字段）` }).click();
  const panel = page.getByRole('region', { name: '退回的表单与当前记录有冲突：惠民项目资金（退回）.docx' });
  await panel.waitFor();
  const theirs = panel.getByRole('radio', { name: '资金总额（万元） · 退回的表单：35.00' });
  const ours = panel.getByRole('radio', { name: '资金总额（万元） · 当前记录：30.00' });
  expect(await ours.isChecked()).toBe(true);
  expect(await theirs.isChecked()).toBe(false);
  // the form's other change is listed, to be applied with the choice
  const others = panel.getByRole('table', { name: '退回表单中的其他修改（保存时一并应用）' });
  expect(await others.getByRole('rowheader').allTextContents()).toEqual(['专项长期绩效目标']);
  await others.getByRole('cell', { name: '加强社区服务能力建设' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await theirs.check();
  await panel.getByRole('button', { name: '按所选保存为新版本' }).click();
  await page.locator('.detail-head .badge', { hasText: '第 3 版' }).waitFor();
  await panel.waitFor({ state: 'detached' });
  expect(await amount.inputValue()).toBe('35.00');

  expect(await getJson(`records/${id}`)).toMatchObject({
    version: 3,
    totalFunds: '35.00',
    longTermGoal: '加强社区服务能力建设',
  });
  const conflicts = await getJson<Array<{ id: number; status: string; paths: string[] }>>(
    `records/${id}/conflicts`,
  );
  expect(conflicts).toMatchObject([{ status: 'resolved', paths: ['$.totalFunds'] }]);
  const versions = await getJson<Array<{ version: number; origin: string; changes: unknown[] }>>(
    `records/${id}/versions`,
  );
  expect(versions.map((v) => v.origin)).toEqual(['import', 'edit', 'edit']);
  expect(versions[2].changes).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ path: '$.totalFunds', before: '30.00', after: '35.00' }),
      expect.objectContaining({ path: '$.longTermGoal', after: '加强社区服务能力建设' }),
    ]),
  );
  expect(versions[2].changes).toHaveLength(2);
});

test('the has-warnings filter shows exactly the records that carry warnings', async () => {
  await ensureSignedIn();
  await importOnPage([MISMATCHES, UNKNOWN_FORM]);
  type Listed = { id: number; warnings: unknown[] };
  const all = await getJson<{ items: Listed[]; total: number }>('records?limit=200');
  const warned = all.items.filter((r) => r.warnings.length > 0);
  const clean = all.items.filter((r) => r.warnings.length === 0);
  expect(all.items).toHaveLength(all.total);
  expect(warned.length).toBeGreaterThan(0);
  expect(clean.length).toBeGreaterThan(0);
  const fromApi = await getJson<{ items: Listed[]; total: number }>('records?hasWarnings=true&limit=200');
  expect(fromApi.items.map((r) => r.id).sort((a, b) => a - b)).toEqual(
    warned.map((r) => r.id).sort((a, b) => a - b),
  );

  const shown = async (): Promise<Array<[number, string]>> =>
    (
      await page
        .locator('table.records tbody tr')
        .evaluateAll((rows) =>
          rows.map((r) => [
            Number(r.querySelector('td')!.textContent),
            r.querySelector('td.warn-count')!.textContent ?? '',
          ]),
        )
    ).map(([n, w]) => [n as number, w as string]);
  const byId = (a: [number, string], b: [number, string]) => a[0] - b[0];
  const filter = async (option: string, expected: Listed[]) => {
    await page.getByLabel('有无警告').selectOption({ label: option });
    await page.getByRole('button', { name: '查询' }).click();
    await page.getByText(new RegExp(`共 ${expected.length} 条$`)).waitFor();
    const want = expected
      .map((r): [number, string] => [r.id, r.warnings.length ? `⚠ ${r.warnings.length}` : ''])
      .sort(byId);
    // the table re-renders after the URL changed: give it a moment, then compare
    await waitFor(
      async () => JSON.stringify((await shown()).sort(byId)) === JSON.stringify(want),
      10_000,
      'the filtered table',
    ).catch(() => undefined);
    expect((await shown()).sort(byId)).toEqual(want);
  };
  await page.goto(`${base}#/records?limit=200`);
  await page.locator('table.records').waitFor();
  await filter('有警告', warned);
  expect(page.url()).toContain('hasWarnings=true');
  expect(await axeViolations(page)).toEqual([]);
  await filter('无警告', clean);
  expect(page.url()).toContain('hasWarnings=false');
  await filter('全部', all.items);
});

test('the source pane of a record read from a file of several forms shows that form only', async () => {
  await ensureSignedIn();
  const batchId = await importOnPage([THREE_FORMS]);
  const { items } = await getJson<{ items: Array<{ id: number; formType: string }> }>(
    `records?batchId=${batchId}`,
  );
  const target = items.find((r) => r.formType === 'project-performance-target')!;
  await page.goto(`${base}#/records/${target.id}`);
  await page.getByText('文件中有 3 份表单，这里只显示本记录的第 3 份。').waitFor();
  const frame = page.frameLocator('iframe[title="原始文件预览"]');
  await frame.getByText('项目支出绩效目标表').first().waitFor();
  // the forms before it in the file are not shown
  expect(await frame.getByText('项目支出绩效自评表').count()).toBe(0);
  expect(await frame.getByText('部门整体支出绩效目标申报表').count()).toBe(0);
});

test('records, export and the English switch; axe finds nothing serious; signing out ends the session', async () => {
  await page.goto(`${base}#/records`);
  await page.getByText(/全部 \d+ 条记录金额合计/).waitFor();
  await page.getByLabel('搜索名称和内容').fill('不存在的项目名称');
  await page.getByText('没有符合条件的记录').waitFor();
  expect(await axeViolations(page)).toEqual([]);

  await page.goto(`${base}#/export`);
  await page.getByRole('button', { name: '开始导出' }).click();
  await page.getByRole('link', { name: '下载 .zip' }).first().waitFor({ timeout: 60_000 });
  expect(await axeViolations(page)).toEqual([]);

  await page.getByRole('button', { name: 'English' }).click();
  await page.getByRole('link', { name: 'Records' }).waitFor();
  expect(await page.getAttribute('html', 'lang')).toBe('en');
  await page.getByRole('button', { name: '中文' }).click();
  await page.getByRole('link', { name: '记录' }).waitFor();

  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByLabel('访问令牌').waitFor();
  expect((await page.request.get(`${base}records`)).status()).toBe(401);
  expect((await page.request.get(`${base}queues`)).status()).toBe(401);
});
