import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Max, Min } from 'class-validator';
import { FORM_TYPES } from '@formbridge/contract';

export class StartExportDto {
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
  @ApiPropertyOptional({ description: "roll the records forward into this year's forms" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1949)
  @Max(2999)
  asYear?: number;
}
