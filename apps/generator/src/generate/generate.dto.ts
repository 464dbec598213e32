import { ApiProperty } from '@nestjs/swagger';
import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';

export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

/** The request body, for the OpenAPI page: one record, or several under "records". */
export const GENERATE_BODY_SCHEMA: SchemaObject = {
  description:
    'One record of the FormBridge contract (RECORDS.md), or {"records": [record, …]} for one document holding several forms. ' +
    'Each record is validated against the contract before anything is generated.',
  oneOf: [
    { $ref: '#/components/schemas/FormRecord' },
    {
      type: 'object',
      description: 'several records',
      required: ['records'],
      properties: {
        records: { type: 'array', minItems: 1, items: { $ref: '#/components/schemas/FormRecord' } },
      },
    },
  ],
};

export class FieldErrorDto {
  @ApiProperty({ example: '$.records[1].budget.total' }) path!: string;
  @ApiProperty({ example: 'total must be an amount in 万元 with two decimals, e.g. "226.00"' })
  reason!: string;
}

export class FieldErrorsDto {
  @ApiProperty({ type: [FieldErrorDto] }) errors!: FieldErrorDto[];
}

/** The one error body (`{code, message, details?}`), as an invalid record fills it. */
export class InvalidRecordDto {
  @ApiProperty({ example: 'INVALID_RECORD' }) code!: string;
  @ApiProperty() message!: string;
  @ApiProperty({ type: FieldErrorsDto }) details!: FieldErrorsDto;
}
