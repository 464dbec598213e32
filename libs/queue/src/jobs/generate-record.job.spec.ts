import { ErrorCode, FormBridgeError } from '@formbridge/common';
import type { ExportItem, Storage } from '@formbridge/storage';
import type { JobContext } from '../job.types';
import { GenerateRecordJob, type StoredExportOutput } from './generate-record.job';

const context: JobContext = {
  attempt: 1,
  maxAttempts: 3,
  isLastAttempt: false,
  failedChildren: () => Promise.resolve([]),
};

const record = (n: number) => ({
  formType: 'special-fund-performance-target',
  year: 2019,
  projectName: `p${n}`,
});

/** Storage as the job uses it, keeping what it was asked to store. */
function fakeStorage(items: ExportItem[]) {
  const stored = { blobs: [] as string[], exported: [] as number[], failed: [] as number[] };
  const storage = {
    deployment: { id: 'test', secret: 'secret' },
    batches: {
      exportItems: (ids: readonly number[]) => Promise.resolve(items.filter((i) => ids.includes(i.id))),
      markExportedMany: (rows: ReadonlyArray<{ itemId: number }>) => {
        stored.exported.push(...rows.map((r) => r.itemId));
        return Promise.resolve();
      },
      markFailedMany: (rows: ReadonlyArray<{ itemId: number }>) => {
        stored.failed.push(...rows.map((r) => r.itemId));
        return Promise.resolve();
      },
    },
    blobs: {
      putMany: (blobs: ReadonlyArray<{ sha256: string }>) => {
        stored.blobs.push(...blobs.map((b) => b.sha256));
        return Promise.resolve();
      },
    },
  };
  return { storage: storage as unknown as Storage, stored };
}

const item = (id: number, data: object | null): ExportItem => ({
  id,
  batchId: 7,
  status: 'pending',
  recordId: 100 + id,
  options: {},
  data: data as ExportItem['data'],
  version: 1,
  formType: 'special-fund-performance-target',
});

describe('GenerateRecordJob', () => {
  it('tells its listener of each item once its bytes are stored, and a listener that throws fails nothing', async () => {
    const { storage, stored } = fakeStorage([item(1, record(1)), item(2, record(2)), item(3, null)]);
    const told: StoredExportOutput[] = [];
    const job = new GenerateRecordJob(
      storage,
      (records) => Promise.resolve(new TextEncoder().encode(JSON.stringify(records))),
      undefined,
      (output) => {
        // Stored before it is told: the folder never holds a file whose item is not done.
        expect(stored.exported).toContain(output.itemId);
        expect(stored.blobs).toContain(output.docx.sha256);
        told.push(output);
        throw new Error('disk full');
      },
    );
    // Item 3's record was deleted: it fails alone, and the listener never hears of it.
    await expect(job.handle({ batchId: 7, itemIds: [1, 2, 3] }, context)).rejects.toThrow(FormBridgeError);
    expect(stored.exported.sort()).toEqual([1, 2]);
    expect(stored.failed).toEqual([3]);
    expect(told.map((o) => [o.batchId, o.itemId, o.name])).toEqual([
      [7, 1, '2019年_专项资金绩效目标申报表_p1_r101.docx'],
      [7, 2, '2019年_专项资金绩效目标申报表_p2_r102.docx'],
    ]);
    expect(JSON.parse(new TextDecoder().decode(told[0].docx.bytes))).toEqual([record(1)]);
    expect(told[0].pdf).toBeUndefined();
  });

  it('tells nothing of an item whose bytes could not be stored', async () => {
    const { storage } = fakeStorage([item(1, record(1))]);
    storage.blobs.putMany = () =>
      Promise.reject(new FormBridgeError(ErrorCode.Unavailable, 'PostgreSQL is gone'));
    const told: number[] = [];
    const job = new GenerateRecordJob(
      storage,
      () => Promise.resolve(new Uint8Array([1, 2, 3])),
      undefined,
      (output) => void told.push(output.itemId),
    );
    await expect(job.handle({ batchId: 7, itemIds: [1] }, context)).rejects.toThrow('PostgreSQL is gone');
    expect(told).toEqual([]);
  });
});
