import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { RECORD_SORT_KEYS, RecordSortKey } from '@formbridge/storage';
import { RecordFilterDto } from './record-filter.dto';

/** The filters of GET /records and GET /records.xlsx. */
export class RecordSelectionDto extends RecordFilterDto {
  @ApiPropertyOptional({ description: 'records from the files of this import' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  batchId?: number;
}

export class RecordQueryDto extends RecordSelectionDto {
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
  @ApiPropertyOptional({ enum: RECORD_SORT_KEYS, default: 'id', description: "amount: the form's total" })
  @IsOptional()
  @IsIn(RECORD_SORT_KEYS)
  sort?: RecordSortKey;
  @ApiPropertyOptional({ enum: ['asc', 'desc'], default: 'asc' })
  @IsOptional()
  @IsIn(['asc', 'desc'])
  order?: 'asc' | 'desc';
}
