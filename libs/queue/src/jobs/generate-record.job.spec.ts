import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { definitions } from '@formbridge/definitions';
import type { ExportItem, Storage } from '@formbridge/storage';
import type { JobContext } from '../job.types';
import { type ExportOutput, GenerateRecordJob } from './generate-record.job';

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

/** An item as the database gives it: the record's data as text, and the columns its name uses. */
const item = (id: number, data: Record<string, unknown> | null, options: object = {}): ExportItem => ({
  id,
  batchId: 7,
  status: 'pending',
  recordId: 100 + id,
  options: options as ExportItem['options'],
  dataJson: data && JSON.stringify(data),
  dataYear: data?.year,
  ...(data ? definitions().summaryOf(data) : { department: null, project: null }),
  version: 1,
  formType: 'special-fund-performance-target',
});

/** A renderer whose ".docx" is the JSON of what it was given (text as it came). */
const given: Array<object[] | string> = [];
const asJson = (records: object[] | string) => {
  given.push(records);
  return Promise.resolve(
    new TextEncoder().encode(typeof records === 'string' ? records : JSON.stringify(records)),
  );
};

describe('GenerateRecordJob', () => {
  it('with the files kept: writes each item once its bytes are stored, and a write that throws fails nothing', async () => {
    const { storage, stored } = fakeStorage([item(1, record(1)), item(2, record(2)), item(3, null)]);
    const told: ExportOutput[] = [];
    const job = new GenerateRecordJob(storage, asJson, undefined, () => ({
      batchId: 7,
      keep: true,
      write: (output) => {
        // Stored before it is written: the folder never holds a file whose item is not done.
        expect(stored.exported).toContain(output.itemId);
        expect(stored.blobs).toContain(output.docx.sha256);
        told.push(output);
        return Promise.reject(new Error('disk full'));
      },
    }));
    // Item 3's record was deleted: it fails alone, and nothing is written of it.
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

  it('writes nothing of an item whose bytes could not be stored', async () => {
    const { storage } = fakeStorage([item(1, record(1))]);
    storage.blobs.putMany = () =>
      Promise.reject(new FormBridgeError(ErrorCode.Unavailable, 'PostgreSQL is gone'));
    const told: number[] = [];
    const job = new GenerateRecordJob(storage, asJson, undefined, () => ({
      batchId: 7,
      keep: true,
      write: (output) => Promise.resolve(void told.push(output.itemId)),
    }));
    await expect(job.handle({ batchId: 7, itemIds: [1] }, context)).rejects.toThrow('PostgreSQL is gone');
    expect(told).toEqual([]);
  });

  it('without the files kept: writes first, then marks the item done and stores no bytes', async () => {
    const { storage, stored } = fakeStorage([item(1, record(1)), item(2, record(2))]);
    const written: number[] = [];
    const job = new GenerateRecordJob(storage, asJson, undefined, () => ({
      batchId: 7,
      keep: false,
      write: (output) => {
        // Not done yet when written: a done item's file is already in the folder.
        expect(stored.exported).not.toContain(output.itemId);
        written.push(output.itemId);
        return Promise.resolve();
      },
    }));
    await expect(job.handle({ batchId: 7, itemIds: [1, 2] }, context)).resolves.toEqual({
      bytes: expect.any(Number),
    });
    expect(written.sort()).toEqual([1, 2]);
    expect(stored.exported.sort()).toEqual([1, 2]);
    expect(stored.blobs).toEqual([]);
  });

  it('without the files kept: an item whose file could not be written is not done, and the job is retried', async () => {
    const { storage, stored } = fakeStorage([item(1, record(1)), item(2, record(2))]);
    const job = new GenerateRecordJob(storage, asJson, undefined, () => ({
      batchId: 7,
      keep: false,
      write: (output) =>
        output.itemId === 2 ? Promise.reject(new Error('ENOSPC: disk full')) : Promise.resolve(),
    }));
    await expect(job.handle({ batchId: 7, itemIds: [1, 2] }, context)).rejects.toThrow('ENOSPC');
    expect(stored.exported).toEqual([1]);
    // Not its last try: the item stays pending for the retry, neither done nor failed.
    expect(stored.failed).toEqual([]);
    expect(stored.blobs).toEqual([]);
  });

  it("hands a stored record to the renderer as the database's text; one rolled forward as the record it became", async () => {
    const { storage } = fakeStorage([item(1, record(1)), item(2, record(2), { asYear: 2021 })]);
    const told: ExportOutput[] = [];
    const job = new GenerateRecordJob(storage, asJson, undefined, () => ({
      batchId: 7,
      keep: false,
      write: (output) => Promise.resolve(void told.push(output)),
    }));
    given.length = 0;
    await job.handle({ batchId: 7, itemIds: [1] }, context);
    expect(given).toEqual([JSON.stringify([record(1)])]);
    await job.handle({ batchId: 7, itemIds: [2] }, context);
    expect(given[1]).toEqual([expect.objectContaining({ year: 2021, projectName: 'p2' })]);
    expect(told.map((o) => o.name)).toEqual([
      '2019年_专项资金绩效目标申报表_p1_r101.docx',
      '2021年_专项资金绩效目标申报表_p2_r102.docx',
    ]);
  });

  it('stores the items of another batch as always, and hands none of them over', async () => {
    const { storage, stored } = fakeStorage([item(1, record(1))]);
    const written: number[] = [];
    const job = new GenerateRecordJob(storage, asJson, undefined, () => ({
      batchId: 8,
      keep: false,
      write: (output) => Promise.resolve(void written.push(output.itemId)),
    }));
    await job.handle({ batchId: 7, itemIds: [1] }, context);
    expect(written).toEqual([]);
    expect(stored.exported).toEqual([1]);
    expect(stored.blobs).toHaveLength(1);
  });
});
