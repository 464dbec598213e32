import { ApiProperty } from '@nestjs/swagger';

export class UploadDto {
  @ApiProperty({ type: 'string', format: 'binary', description: 'A .docx, .doc or .rtf submission' })
  file!: unknown;
}

export class SourceLocationDto {
  @ApiProperty({ required: false }) table?: number;
  @ApiProperty({ required: false }) row?: number;
  @ApiProperty({ required: false }) cell?: number;
  @ApiProperty({ required: false }) paragraph?: number;
}

export class ParseWarningDto {
  @ApiProperty({ example: 'sum-mismatch' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ nullable: true, type: Number }) recordIndex!: number | null;
  @ApiProperty({ nullable: true, type: String, example: '$.budget.total' }) path!: string | null;
  @ApiProperty({ nullable: true, type: SourceLocationDto }) location!: SourceLocationDto | null;
}

export class FormReadDto {
  @ApiProperty({ example: 'project-performance-target' }) formType!: string;
  @ApiProperty({ example: '2021' }) edition!: string;
}

export class ParseResultDto {
  @ApiProperty({
    description: 'One record per form, in document order (see RECORDS.md)',
    type: 'array',
    items: { $ref: '#/components/schemas/FormRecord' },
  })
  records!: Record<string, unknown>[];
  @ApiProperty({ type: [ParseWarningDto] }) warnings!: ParseWarningDto[];
  @ApiProperty({
    type: [FormReadDto],
    description: 'Which definition (form type and edition) read each record',
  })
  forms!: FormReadDto[];
}
