import type { Log } from '@formbridge/common';
import type { Storage } from '@formbridge/storage';
import type { JobContext, JobHandler, JobOf } from '../job.types';
import { JobName } from '../queue.constants';
import { finishBatch } from './finish-batch';

export class FinishExportJob implements JobHandler<JobName.FinishExport> {
  readonly name = JobName.FinishExport;

  constructor(
    private readonly storage: Storage,
    private readonly log?: Log,
  ) {}

  handle({ batchId }: JobOf<JobName.FinishExport>, context: JobContext): Promise<{ failed: number }> {
    return finishBatch(this.storage, 'export', batchId, context, this.log);
  }
}
