import { Injectable, StreamableFile } from '@nestjs/common';
import { generateDocx } from '@formbridge/forms';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { BulkContext, exportFileName, readOptionsOf } from '@formbridge/queue';
import { renderSubmissionHtml, submissionMediaType } from '@formbridge/word';
import { PublicRecord, RecordPage, RecordVersionRow } from '@formbridge/storage';
import { RecordQueryDto } from './records.dto';

@Injectable()
export class RecordsService {
  constructor(private readonly ctx: BulkContext) {}

  list({ limit, offset, sort, order, ...filter }: RecordQueryDto): Promise<RecordPage> {
    const ordered = sort || order ? { key: sort ?? 'id', descending: order === 'desc' } : undefined;
    return this.ctx.records.list(filter, limit, offset, ordered);
  }

  /** The record, with the warnings its form was read with when the record does not carry its own. */
  async get(id: number): Promise<PublicRecord> {
    const record = await this.ctx.records.getPublic(id);
    if (record.warnings !== undefined || record.source.documentId === null) return record;
    const warnings = await this.ctx.storage.documents.warnings(record.source.documentId);
    return { ...record, warnings: warnings.filter((w) => w.recordIndex === record.source.formIndex) };
  }

  /** The stored file the record was read from, as it was submitted. */
  async source(id: number): Promise<StreamableFile> {
    const { bytes, file } = await this.sourceBytes(id);
    const media = submissionMediaType(bytes);
    const name = file ?? `record-${id}.${media.extension}`;
    return new StreamableFile(Buffer.from(bytes), {
      type: media.type,
      disposition: `attachment; filename="record-${id}.${media.extension}"; filename*=UTF-8''${encodeURIComponent(name.split('/').pop() ?? name)}`,
    });
  }

  /** The stored source file as HTML (mammoth), so a browser shows it without Word. */
  async preview(id: number): Promise<{ html: string; messages: string[]; file: string | null }> {
    const { bytes, file } = await this.sourceBytes(id);
    return { ...(await renderSubmissionHtml(bytes, readOptionsOf(this.ctx.config).converter)), file };
  }

  private async sourceBytes(id: number): Promise<{ bytes: Uint8Array; file: string | null }> {
    const { source } = await this.ctx.records.get(id);
    if (!source.sha256)
      throw new FormBridgeError(ErrorCode.NotFound, `record ${id} has no stored source file`);
    return { bytes: await this.ctx.storage.blobs.get(source.sha256), file: source.file };
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
    const name = exportFileName(record.id, record.data);
    return new StreamableFile(Buffer.from(generateDocx([record.data])), {
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      disposition: `attachment; filename="record-${record.id}.docx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
  }
}
