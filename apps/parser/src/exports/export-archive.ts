import { PassThrough } from 'node:stream';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import type { Storage } from '@formbridge/storage';
import { exportRows, writeExportIndex } from '@formbridge/queue';

/**
 * A finished export as one .zip, produced a file at a time as the response is read: the .docx
 * files (already compressed, so stored as they are) and index.xlsx.
 */
export async function* exportArchive(
  storage: Storage,
  batchId: number,
  asYear?: number,
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
    if (row.status !== 'done' || !row.outputSha256 || !row.outputName) continue;
    page.push({ sha256: row.outputSha256, name: row.outputName });
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
  await writeExportIndex(exportRows(storage, batchId), xlsx, asYear);
  index.push(new Uint8Array(0), true);
  zip.end();
  yield* drain();
}
