import type { Storage } from '@formbridge/storage';
import type { JobHandler, JobOf } from '../job.types';
import { JobName } from '../queue.constants';
import { sealBatch } from './finish-batch';

export class SealExportJob implements JobHandler<JobName.SealExport> {
  readonly name = JobName.SealExport;

  constructor(
    private readonly storage: Storage,
    private readonly timeoutMs: number,
  ) {}

  handle({ batchId }: JobOf<JobName.SealExport>): Promise<{ timedOut: boolean }> {
    return sealBatch(this.storage, batchId, this.timeoutMs);
  }
}
