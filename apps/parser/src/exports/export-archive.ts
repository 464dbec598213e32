import { PassThrough } from 'node:stream';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Storage } from '@formbridge/storage';
import { ExportIndexOptions, exportFiles, exportRows, writeExportIndex } from '@formbridge/queue';

/**
 * A finished export as one .zip, produced a file at a time as the response is read: the .docx
 * files (already compressed, so stored as they are), their PDFs when the export made them, and
 * index.xlsx. Entry names are UTF-8 (flagged so), so Chinese names read right in Windows Explorer.
 */
export async function* exportArchive(
  storage: Storage,
  batchId: number,
  options: ExportIndexOptions,
): AsyncGenerator<Uint8Array> {
  let pending: Uint8Array[] = [];
  let failure: Error | undefined;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else pending.push(chunk);
  });
  const drain = function* () {
    if (failure) throw failure;
    const out = pending;
    pending = [];
    yield* out;
  };
  let page: Array<{ sha256: string; name: string }> = [];
  const addPage = async () => {
    const bytes = await storage.blobs.getMany(page.map((p) => p.sha256));
    page.forEach((p, i) => {
      const entry = new ZipPassThrough(p.name);
      zip.add(entry);
      entry.push(bytes[i], true);
    });
    page = [];
  };
  for await (const row of exportRows(storage, batchId)) {
    page.push(...exportFiles(row, options));
    if (page.length >= 50) {
      await addPage();
      yield* drain();
    }
  }
  await addPage();
  yield* drain();
  const index = new ZipDeflate('index.xlsx', { level: 6 });
  zip.add(index);
  const xlsx = new PassThrough();
  xlsx.on('data', (chunk: Buffer) => index.push(chunk));
  await writeExportIndex(exportRows(storage, batchId), xlsx, options);
  index.push(new Uint8Array(0), true);
  zip.end();
  yield* drain();
}
