import { Readable } from 'node:stream';
import { Injectable, StreamableFile } from '@nestjs/common';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { BatchPage, BulkContext, ExportReport, exportOptionsOf, writtenToOf } from '@formbridge/queue';
import { StartExportDto } from './exports.dto';
import { exportArchive } from './export-archive';

export interface ExportAccepted {
  batchId: number;
  status: 'queued';
  report: string;
  download: string;
}

/** Exports through the generate queue: the generator services' workers write the files. */
@Injectable()
export class ExportsService {
  constructor(private readonly ctx: BulkContext) {}

  async start({ asYear, pdf, noDocx, ...filter }: StartExportDto): Promise<ExportAccepted> {
    const batchId = await this.ctx.exports.run(filter, { asYear, pdf, noDocx: pdf ? noDocx : undefined });
    return {
      batchId,
      status: 'queued',
      report: `/exports/${batchId}`,
      download: `/exports/${batchId}/download`,
    };
  }

  list(limit: number, offset: number): Promise<BatchPage> {
    return this.ctx.reports.list('export', limit, offset);
  }

  report(batchId: number): Promise<ExportReport> {
    return this.ctx.reports.exportReport(batchId);
  }

  async download(batchId: number): Promise<StreamableFile> {
    const report = await this.report(batchId);
    if (report.status !== 'completed') {
      throw new FormBridgeError(
        ErrorCode.Conflict,
        `export ${batchId} is not finished yet (${report.done + report.failed} of ${report.total} done)`,
      );
    }
    const batch = await this.ctx.storage.batches.get(batchId);
    if (batch?.filesDeletedAt) {
      throw new FormBridgeError(
        ErrorCode.Expired,
        `the files of export ${batchId} were deleted on ${batch.filesDeletedAt.toISOString().slice(0, 10)} (EXPORT_RETENTION_DAYS); its report is kept: run the export again for new files`,
      );
    }
    const writtenTo = writtenToOf(batch?.options);
    if (writtenTo !== undefined) {
      throw new FormBridgeError(
        ErrorCode.Expired,
        `the files of export ${batchId} were written to ${writtenTo} by formbridge export and not kept in the database: run the export again (formbridge export --keep-files, or from this page) for a download`,
      );
    }
    const options = exportOptionsOf(batch?.options ?? {});
    return new StreamableFile(Readable.from(exportArchive(this.ctx.storage, batchId, options)), {
      type: 'application/zip',
      disposition: `attachment; filename="export-${batchId}.zip"`,
    });
  }
}
