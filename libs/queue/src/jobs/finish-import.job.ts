import type { Log } from '@formbridge/common';
import type { Storage } from '@formbridge/storage';
import type { JobContext, JobHandler, JobOf } from '../job.types';
import { JobName } from '../queue.constants';
import { finishBatch } from './finish-batch';

export class FinishImportJob implements JobHandler<JobName.FinishImport> {
  readonly name = JobName.FinishImport;

  constructor(
    private readonly storage: Storage,
    private readonly log?: Log,
  ) {}

  handle({ batchId }: JobOf<JobName.FinishImport>, context: JobContext): Promise<{ failed: number }> {
    return finishBatch(this.storage, 'import', batchId, context, this.log);
  }
}
