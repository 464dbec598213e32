import type { RecordFilter, Storage } from '@formbridge/storage';
import type { Log } from '@formbridge/common';
import type { BatchQueue } from '../batch-queue';
import type { BatchRef } from '../queue.constants';
import type { ExportOptions } from '../jobs/generate-record.job';

const PAGE = 1000;

/** Starts export batches: one generate job per selected record, queued as the ids are read. */
export class ExportService {
  constructor(
    private readonly storage: Storage,
    private readonly queue: BatchQueue,
    private readonly log?: Log,
  ) {}

  async run(
    filter: RecordFilter,
    options: ExportOptions,
    onStarted?: (batch: BatchRef) => void,
  ): Promise<number> {
    const batch = await this.storage.batches.create('export', { filter, ...options });
    await this.queue.open('export', batch);
    this.log?.log(`export batch ${batch.id} started`, { batch: batch.id, kind: 'export' });
    onStarted?.(batch);
    let afterId = 0;
    let position = 0;
    for (;;) {
      const ids = await this.storage.records.ids(filter, afterId, PAGE);
      if (!ids.length) break;
      const itemIds = await this.storage.batches.addItems(
        batch.id,
        ids.map((recordId) => ({ position: ++position, name: `record ${recordId}`, recordId })),
      );
      await this.queue.addItems('export', batch, itemIds);
      afterId = ids[ids.length - 1];
      if (ids.length < PAGE) break;
    }
    await this.storage.batches.seal(batch.id);
    await this.queue.seal('export', batch);
    this.log?.log(`export batch ${batch.id} queued`, { batch: batch.id, kind: 'export' });
    return batch.id;
  }
}
