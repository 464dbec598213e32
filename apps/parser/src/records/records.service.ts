import { Injectable } from '@nestjs/common';
import { BulkContext } from '@formbridge/queue';
import { PublicRecord, RecordPage, RecordVersionRow } from '@formbridge/storage';
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
}
