import { Injectable, StreamableFile } from '@nestjs/common';
import { generateStoredDocx } from '@formbridge/forms';
import { BulkContext, exportFileName } from '@formbridge/queue';
import {
  PublicRecord,
  RecordConflict,
  RecordConflictSides,
  RecordPage,
  RecordVersionRow,
} from '@formbridge/storage';
import { ConflictQueryDto, ResolveConflictDto } from './conflicts.dto';
import { RecordQueryDto } from './records.dto';

@Injectable()
export class RecordsService {
  constructor(private readonly ctx: BulkContext) {}

  list({ limit, offset, ...filter }: RecordQueryDto): Promise<RecordPage> {
    return this.ctx.records.list(filter, limit, offset);
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
    const name = exportFileName(record.id, record.data);
    return new StreamableFile(Buffer.from(generateStoredDocx([record], this.ctx.storage.deployment)), {
      type: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
      disposition: `attachment; filename="record-${record.id}.docx"; filename*=UTF-8''${encodeURIComponent(name)}`,
    });
  }
}
