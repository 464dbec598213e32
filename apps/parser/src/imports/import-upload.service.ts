import { Injectable } from '@nestjs/common';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import {
  BatchPage,
  BulkContext,
  ImportReport,
  SubmissionFile,
  archiveEntries,
  isArchiveName,
} from '@formbridge/queue';

export interface ImportAccepted {
  batchId: number;
  status: 'queued';
  /** Where progress, results and failures are reported. */
  report: string;
}

/** Turns an upload (Word files and/or .zip archives) into an import batch. */
@Injectable()
export class ImportUploadService {
  constructor(private readonly ctx: BulkContext) {}

  async start(files: Express.Multer.File[]): Promise<ImportAccepted> {
    const { MAX_IMPORT_FILES, MAX_FILE_BYTES } = this.ctx.config;
    const submissions: SubmissionFile[] = [];
    for (const file of files) {
      if (!isArchiveName(file.originalname)) {
        // Refused with the request (413), as POST /parse does, not later as a failed item.
        if (file.size > MAX_FILE_BYTES)
          throw new FormBridgeError(
            ErrorCode.TooLarge,
            `${file.originalname} is ${file.size} bytes; a file may have at most ${MAX_FILE_BYTES} (MAX_FILE_BYTES)`,
          );
        submissions.push({ name: file.originalname, bytes: file.buffer });
      } else {
        for (const entry of archiveEntries(file.buffer, file.originalname, {
          maxFileBytes: MAX_FILE_BYTES,
          maxEntries: MAX_IMPORT_FILES,
        })) {
          submissions.push(entry);
          if (submissions.length > MAX_IMPORT_FILES) break;
        }
      }
      if (submissions.length > MAX_IMPORT_FILES) {
        throw new FormBridgeError(
          ErrorCode.TooLarge,
          `an import takes at most ${MAX_IMPORT_FILES} files (MAX_IMPORT_FILES), archive entries included`,
        );
      }
    }
    const batchId = await this.ctx.imports.run(submissions);
    return { batchId, status: 'queued', report: `/imports/${batchId}` };
  }

  list(limit: number, offset: number): Promise<BatchPage> {
    return this.ctx.reports.list('import', limit, offset);
  }

  report(batchId: number): Promise<ImportReport> {
    return this.ctx.reports.importReport(batchId);
  }
}
