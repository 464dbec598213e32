import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { RecordFilterDto } from '../records/record-filter.dto';

export class StartExportDto extends RecordFilterDto {
  @ApiPropertyOptional({ description: "roll the records forward into this year's forms" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1949)
  @Max(2999)
  asYear?: number;
}
