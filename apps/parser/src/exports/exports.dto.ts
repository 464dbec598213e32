import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, Max, Min } from 'class-validator';
import { RecordFilterDto } from '../records/record-filter.dto';

export class StartExportDto extends RecordFilterDto {
  @ApiPropertyOptional({ description: "roll the records forward into this year's forms" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1949)
  @Max(2999)
  asYear?: number;

  @ApiPropertyOptional({
    description: 'also render each form as PDF (LibreOffice), beside the .docx in the archive',
  })
  @IsOptional()
  @IsBoolean()
  pdf?: boolean;

  @ApiPropertyOptional({ description: 'with pdf: leave the .docx files out of the archive' })
  @IsOptional()
  @IsBoolean()
  noDocx?: boolean;
}
