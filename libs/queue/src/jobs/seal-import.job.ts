import type { Storage } from '@formbridge/storage';
import type { JobHandler, JobOf } from '../job.types';
import { JobName } from '../queue.constants';
import { sealBatch } from './finish-batch';

export class SealImportJob implements JobHandler<JobName.SealImport> {
  readonly name = JobName.SealImport;

  constructor(
    private readonly storage: Storage,
    private readonly timeoutMs: number,
  ) {}

  handle({ batchId }: JobOf<JobName.SealImport>): Promise<{ timedOut: boolean }> {
    return sealBatch(this.storage, batchId, this.timeoutMs);
  }
}
