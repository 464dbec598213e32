import { PassThrough } from 'node:stream';
import { Injectable, StreamableFile } from '@nestjs/common';
import { definitions } from '@formbridge/definitions';
import { generateDocx } from '@formbridge/forms';
import { BulkContext, exportFileName, storedWarnings, writeRecordsWorkbook } from '@formbridge/queue';
import { contentDisposition } from '@formbridge/server';
import { PublicRecord, RecordPage, RecordVersionRow } from '@formbridge/storage';
import { RecordQueryDto, RecordSelectionDto } from './records.dto';

@Injectable()
export class RecordsService {
  constructor(private readonly ctx: BulkContext) {}

  list({ limit, offset, ...filter }: RecordQueryDto): Promise<RecordPage> {
    return this.ctx.records.list(filter, limit, offset);
  }

  /** The selected records as an Excel workbook, streamed as it is written. */
  xlsx(filter: RecordSelectionDto): StreamableFile {
    const out = new PassThrough();
    writeRecordsWorkbook(
      definitions().definitions,
      { records: this.ctx.records.stream(filter), warnings: storedWarnings(this.ctx.storage) },
      out,
    ).catch((err: Error) => out.destroy(err));
    return new StreamableFile(out, {
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      disposition: contentDisposition('绩效目标申报记录.xlsx'),
    });
  }

  get(id: number): Promise<PublicRecord> {
    return this.ctx.records.getPublic(id);
  }

  update(id: number, body: unknown): Promise<PublicRecord> {
    return this.ctx.records.update(id, body);
  }

  versions(id: number): Promise<RecordVersionRow[]> {
    return this.ctx.records.versions(id);
  }

  /** One record's form, generated on the spot (a few milliseconds; bulk work goes through the queue). */
  async docx(id: number): Promise<StreamableFile> {
    const record = await this.ctx.records.get(id);
    return new StreamableFile(Buffer.from(generateDocx([record.data])), {
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      disposition: contentDisposition(exportFileName(record.id, record.data)),
    });
  }

  /**
   * One record's form as PDF, rendered by this service's pool of LibreOffice converters (a file
   * waits for a free converter; each has a timeout). Bulk PDFs go through the queue (`export --pdf`).
   */
  async pdf(id: number): Promise<StreamableFile> {
    const record = await this.ctx.records.get(id);
    const pdf = await this.ctx.pdf.convert(generateDocx([record.data]));
    return new StreamableFile(Buffer.from(pdf), {
      type: 'application/pdf',
      disposition: contentDisposition(exportFileName(record.id, record.data, 'pdf')),
    });
  }
}
