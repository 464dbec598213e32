import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { loadConfig } from '@formbridge/config';
import { Storage } from '@formbridge/storage';
import { BAD_FIXTURES, writeVariants } from './support/bulk-files';
import { dropQueues, dropSchema, startService, testConfig, testEnv } from './support/bulk-env';
import { formbridge } from './support/cli';
import { pdfPages, popplerAvailable } from './support/pdf';

const config = loadConfig();
const officeAvailable =
  spawnSync(config.SOFFICE_PATH, ['--version'], { encoding: 'utf8' }).error === undefined &&
  spawnSync(config.UNO_PYTHON, ['-c', 'import uno'], { encoding: 'utf8' }).status === 0;
if (!officeAvailable || !popplerAvailable)
  console.warn(
    'retention: PDF exports skipped, LibreOffice with python3-uno or poppler-utils is not installed',
  );
const withOffice = officeAvailable && popplerAvailable ? it : it.skip;

function run(args: string[], env: Record<string, string>): Record<string, unknown> {
  const r = formbridge(args, env);
  if (r.status !== 0) throw new Error(`${args[0]} exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

describe('retention: formbridge cleanup (PostgreSQL + Redis)', () => {
  const env = testEnv();
  const dir = mkdtempSync(join(tmpdir(), 'fb-retention-'));
  let storage: Storage;

  beforeAll(async () => {
    writeVariants(join(dir, 'in'), 3, 'r');
    const imported = run(['import', '--compact', join(dir, 'in'), join(BAD_FIXTURES, 'empty.docx')], env);
    expect(imported).toMatchObject({ imported: 3, failed: 1 });
    storage = await Storage.open(testConfig(env));
  });

  afterAll(async () => {
    await storage?.close();
    await dropSchema(env.DATABASE_SCHEMA);
    await dropQueues(env.QUEUE_PREFIX);
    rmSync(dir, { recursive: true, force: true });
  });

  const blobCount = async () =>
    (await storage.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM blobs`))[0].n;

  it('keeps export files and failed jobs within their retention, then deletes them; reports stay', async () => {
    // --keep-files: the files are kept in the database for the export's download, until retention.
    const exported = run(['export', '--compact', '--keep-files', '--out', join(dir, 'out')], env);
    expect(exported).toMatchObject({ records: 3, written: 3 });
    expect(await blobCount()).toBe(4 + 3); // four submissions (one of them empty), three outputs

    // Within the defaults (7 days of export files, 30 days of failed jobs) nothing goes.
    expect(run(['cleanup'], env)).toEqual({
      exportBatches: 0,
      exportFilesDeleted: 0,
      bytesFreed: 0,
      failedJobsRemoved: 0,
    });

    const cleaned = run(['cleanup', '--export-days', '0', '--failed-job-days', '0'], env);
    expect(cleaned).toMatchObject({ exportBatches: 1, exportFilesDeleted: 3, failedJobsRemoved: 1 });
    expect(cleaned.bytesFreed).toBeGreaterThan(10_000);
    // The submissions' bytes stay: only generated outputs are subject to retention.
    expect(await blobCount()).toBe(4);

    // The reports keep what a person needs: which file failed and why; what the export wrote.
    const [failure] = await storage.db.query<{ name: string; error_code: string; reason: string }>(
      `SELECT i.name, i.error_code, i.reason FROM batch_items i JOIN batches b ON b.id = i.batch_id
        WHERE b.kind = 'import' AND i.status = 'failed'`,
    );
    expect(failure).toMatchObject({ name: expect.stringContaining('empty.docx'), error_code: 'EMPTY_FILE' });
    const outputs = await storage.db.query<{ output_name: string; output_sha256: string | null }>(
      `SELECT output_name, output_sha256 FROM batch_items i JOIN batches b ON b.id = i.batch_id WHERE b.kind = 'export'`,
    );
    expect(outputs).toHaveLength(3);
    for (const o of outputs)
      expect(o).toEqual({ output_name: expect.stringMatching(/\.docx$/), output_sha256: null });
    const [batch] = await storage.db.query<{ files_deleted_at: Date | null }>(
      `SELECT files_deleted_at FROM batches WHERE kind = 'export'`,
    );
    expect(batch.files_deleted_at).toBeInstanceOf(Date);

    // Nothing left to do the second time.
    expect(run(['cleanup', '--export-days', '0', '--failed-job-days', '0'], env)).toMatchObject({
      exportBatches: 0,
      exportFilesDeleted: 0,
      failedJobsRemoved: 0,
    });
  }, 180_000);

  withOffice(
    'an export with PDFs: its PDFs expire and are deleted with its .docx files, and its download answers 410 EXPIRED',
    async () => {
      const before = await blobCount();
      const out = join(dir, 'pdf-out');
      const exported = run(['export', '--compact', '--pdf', '--keep-files', '--out', out], env);
      expect(exported).toMatchObject({ records: 3, written: 3, failed: 0, pdf: true });
      expect(readdirSync(out).filter((f) => f.endsWith('.pdf'))).toHaveLength(3);
      const stored = async () =>
        storage.db.query<{ batch_id: string; output_sha256: string | null; pdf_sha256: string | null }>(
          `SELECT i.batch_id, i.output_sha256, i.pdf_sha256 FROM batch_items i JOIN batches b ON b.id = i.batch_id
            WHERE b.kind = 'export' AND b.files_deleted_at IS NULL`,
        );
      const items = await stored();
      expect(items).toHaveLength(3);
      for (const i of items)
        expect(i).toEqual({
          batch_id: expect.anything(),
          output_sha256: expect.any(String),
          pdf_sha256: expect.any(String),
        });
      const batchId = Number(items[0].batch_id);
      // Three .docx and three PDFs stored, each its own blob.
      expect(await blobCount()).toBe(before + 6);

      const service = await startService('parser', env);
      try {
        const download = `${service.base}/exports/${batchId}/download`;
        const zip = await fetch(download);
        expect(zip.status).toBe(200);
        const entries = unzipSync(new Uint8Array(await zip.arrayBuffer()));
        const pdfs = Object.keys(entries).filter((n) => n.endsWith('.pdf'));
        expect(pdfs).toHaveLength(3);
        expect(pdfPages(entries[pdfs[0]]).join('').length).toBeGreaterThan(100);

        // Within the retention the PDFs stay like the .docx files.
        expect(run(['cleanup'], env)).toMatchObject({ exportBatches: 0, exportFilesDeleted: 0 });
        expect(await blobCount()).toBe(before + 6);

        const cleaned = run(['cleanup', '--export-days', '0'], env);
        expect(cleaned).toMatchObject({ exportBatches: 1, exportFilesDeleted: 6 });
        expect(await blobCount()).toBe(before);
        const forgotten = await storage.db.query<{ pdfs: number }>(
          `SELECT count(*)::int AS pdfs FROM batch_items WHERE batch_id = $1 AND pdf_sha256 IS NOT NULL`,
          [batchId],
        );
        expect(forgotten[0].pdfs).toBe(0);

        const expired = await fetch(download);
        expect(expired.status).toBe(410);
        expect(await expired.json()).toMatchObject({ code: 'EXPIRED' });
      } finally {
        service.child.kill('SIGTERM');
        await service.exited;
      }
    },
    300_000,
  );
});
