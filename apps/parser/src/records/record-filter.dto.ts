import { ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { FORM_TYPES } from '@formbridge/contract';

/** The filters that choose stored records, shared by listing and exporting. */
export class RecordFilterDto {
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
  @ApiPropertyOptional({ description: 'text anywhere in the record: names, goals, indicators' })
  @IsOptional()
  @IsString()
  q?: string;
  @ApiPropertyOptional({ description: 'records read with (true) or without (false) warnings' })
  @IsOptional()
  @Transform(({ value }: { value: unknown }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  hasWarnings?: boolean;
  @ApiPropertyOptional({
    enum: ['import', 'edit', 'return'],
    description: "what made the record's current version",
  })
  @IsOptional()
  @IsIn(['import', 'edit', 'return'])
  origin?: string;
}
