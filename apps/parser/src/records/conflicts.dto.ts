import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsObject, IsOptional, Min } from 'class-validator';

export class ConflictQueryDto {
  @ApiPropertyOptional({ enum: ['open', 'resolved'], default: 'open' })
  @IsOptional()
  @IsIn(['open', 'resolved'])
  status: 'open' | 'resolved' = 'open';
  @ApiPropertyOptional({ description: 'conflicts of the forms of this import' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  batchId?: number;
}

export class ResolveConflictDto {
  @ApiPropertyOptional({
    description:
      'What should stand: the record as edited by the person (own keys may be sent back; its `version` makes it conditional). Leave it out to keep the record as it is and drop the returned form.',
    type: 'object',
    additionalProperties: true,
  })
  @IsOptional()
  @IsObject()
  record?: Record<string, unknown>;
}
