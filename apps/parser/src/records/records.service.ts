import { PassThrough } from 'node:stream';
import { Injectable, StreamableFile } from '@nestjs/common';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { definitions } from '@formbridge/definitions';
import { FormParser, generateDocx, generateStoredDocx } from '@formbridge/forms';
import {
  BulkContext,
  exportFileName,
  readOptionsOf,
  storedWarnings,
  writeRecordsWorkbook,
} from '@formbridge/queue';
import { contentDisposition } from '@formbridge/server';
import { readDocx, renderSubmissionHtml, submissionMediaType } from '@formbridge/word';
import {
  PublicRecord,
  RecordConflict,
  RecordConflictSides,
  RecordPage,
  RecordVersionRow,
} from '@formbridge/storage';
import { ConflictQueryDto, ResolveConflictDto } from './conflicts.dto';
import { RecordQueryDto, RecordSelectionDto } from './records.dto';

@Injectable()
export class RecordsService {
  constructor(private readonly ctx: BulkContext) {}

  list({ limit, offset, sort, order, ...filter }: RecordQueryDto): Promise<RecordPage> {
    const ordered = sort || order ? { key: sort ?? 'id', descending: order === 'desc' } : undefined;
    return this.ctx.records.list(filter, limit, offset, ordered);
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

  /**
   * The stored source file as HTML (mammoth), so a browser shows it without Word. Of a document
   * that holds several forms, only the record's own form (`form`: which of how many), found the
   * way the parser splits forms.
   */
  async preview(id: number): Promise<{
    html: string;
    messages: string[];
    file: string | null;
    form: { index: number; count: number } | null;
  }> {
    const { bytes, file, formIndex } = await this.sourceBytes(id);
    const options = readOptionsOf(this.ctx.config);
    const found: { form?: { index: number; count: number } } = {};
    const partOf = (docx: Uint8Array) => {
      const doc = readDocx(docx, options);
      const forms = (this.parser ??= new FormParser()).formBlocks(doc);
      const range = forms[formIndex];
      if (forms.length < 2 || !range) return undefined;
      found.form = { index: formIndex, count: forms.length };
      return { ...range, blocks: doc.blocks.length };
    };
    const { html, messages, part } = await renderSubmissionHtml(bytes, options.converter, partOf);
    return { html, messages, file, form: part ? (found.form ?? null) : null };
  }

  private parser?: FormParser;

  private async sourceBytes(
    id: number,
  ): Promise<{ bytes: Uint8Array; file: string | null; formIndex: number }> {
    const { source } = await this.ctx.records.get(id);
    if (!source.sha256)
      throw new FormBridgeError(ErrorCode.NotFound, `record ${id} has no stored source file`);
    return {
      bytes: await this.ctx.storage.blobs.get(source.sha256),
      file: source.file,
      formIndex: source.formIndex ?? 0,
    };
  }

  update(id: number, body: unknown): Promise<PublicRecord> {
    return this.ctx.records.update(id, body);
  }

  versions(id: number): Promise<RecordVersionRow[]> {
    return this.ctx.records.versions(id);
  }

  version(id: number, version: number): Promise<RecordVersionRow> {
    return this.ctx.records.version(id, version);
  }

  conflicts(filter: Partial<ConflictQueryDto> & { recordId?: number }): Promise<RecordConflict[]> {
    return this.ctx.records.conflicts(filter);
  }

  conflict(id: number): Promise<RecordConflictSides> {
    return this.ctx.records.conflict(id);
  }

  resolveConflict(id: number, body: ResolveConflictDto): Promise<RecordConflictSides> {
    return this.ctx.records.resolveConflict(id, body);
  }

  /** One record's form, generated on the spot (a few milliseconds; bulk work goes through the queue). */
  async docx(id: number): Promise<StreamableFile> {
    const record = await this.ctx.records.get(id);
    return new StreamableFile(Buffer.from(generateStoredDocx([record], this.ctx.storage.deployment)), {
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
