import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { FORM_TYPES } from '@formbridge/contract';

export class RecordQueryDto {
  @ApiPropertyOptional() @IsOptional() @Type(() => Number) @IsInt() @Min(1949) @Max(2999) year?: number;
  @ApiPropertyOptional({ enum: FORM_TYPES }) @IsOptional() @IsIn(FORM_TYPES) formType?: string;
  @ApiPropertyOptional({ description: 'part of the department name' })
  @IsOptional()
  @IsString()
  department?: string;
  @ApiPropertyOptional({ description: 'part of the project name' })
  @IsOptional()
  @IsString()
  project?: string;
  @ApiPropertyOptional({ description: 'records from the files of this import' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  batchId?: number;
  @ApiPropertyOptional({ default: 50, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit = 50;
  @ApiPropertyOptional({ default: 0 }) @IsOptional() @Type(() => Number) @IsInt() @Min(0) offset = 0;
}
