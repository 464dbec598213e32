import { Body, Controller, Get, Param, ParseIntPipe, Put, Query, StreamableFile } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { strictValidation } from '@formbridge/server';
import type { PublicRecord, RecordConflict, RecordPage, RecordVersionRow } from '@formbridge/storage';
import { RecordQueryDto, RecordSelectionDto } from './records.dto';
import { RecordsService } from './records.service';

@ApiTags('records')
@ApiBearerAuth()
@Controller('records')
export class RecordsController {
  constructor(private readonly service: RecordsService) {}

  @Get()
  @ApiOkResponse({
    description:
      '{items, total, limit, offset}; items are records plus their id, version, source (first form), sources (every form that carried it) and warnings',
  })
  list(@Query(strictValidation) q: RecordQueryDto): Promise<RecordPage> {
    return this.service.list(q);
  }

  @Get(':id')
  get(@Param('id', ParseIntPipe) id: number): Promise<PublicRecord> {
    return this.service.get(id);
  }

  @Put(':id')
  @ApiBody({ schema: { $ref: '#/components/schemas/FormRecord' } })
  @ApiOkResponse({
    description: 'The edited record (validated against the contract); the earlier version is kept',
  })
  update(@Param('id', ParseIntPipe) id: number, @Body() body: unknown): Promise<PublicRecord> {
    return this.service.update(id, body);
  }

  @Get(':id/docx')
  @ApiOkResponse({ description: "The record's form as .docx" })
  docx(@Param('id', ParseIntPipe) id: number): Promise<StreamableFile> {
    return this.service.docx(id);
  }

  @Get(':id/source')
  @ApiOkResponse({ description: 'The stored file the record was read from, as submitted' })
  source(@Param('id', ParseIntPipe) id: number): Promise<StreamableFile> {
    return this.service.source(id);
  }

  @Get(':id/preview')
  @ApiOkResponse({
    description:
      "{html, messages, file, form}: the stored source file rendered as HTML (mammoth); of a document holding several forms only the record's own, form saying which ({index, count}), else null",
  })
  preview(@Param('id', ParseIntPipe) id: number): ReturnType<RecordsService['preview']> {
    return this.service.preview(id);
  }

  @Get(':id/pdf')
  @ApiOkResponse({
    description: "The record's form as PDF (LibreOffice; 501 CONVERTER_MISSING when it is not installed)",
  })
  pdf(@Param('id', ParseIntPipe) id: number): Promise<StreamableFile> {
    return this.service.pdf(id);
  }

  @Get(':id/versions')
  @ApiOkResponse({
    description:
      'Every version of the record, oldest first: {version, origin (import | edit | return), createdAt, source, baseVersion, changes: [{path, op, before, after}], warnings, data}',
  })
  versions(@Param('id', ParseIntPipe) id: number): Promise<RecordVersionRow[]> {
    return this.service.versions(id);
  }

  @Get(':id/versions/:version')
  @ApiOkResponse({
    description: 'One version: its data, what made it, and its changes against the one before',
  })
  version(
    @Param('id', ParseIntPipe) id: number,
    @Param('version', ParseIntPipe) version: number,
  ): Promise<RecordVersionRow> {
    return this.service.version(id, version);
  }

  @Get(':id/conflicts')
  @ApiOkResponse({ description: 'Returned forms of this record whose changes clashed with later edits' })
  conflicts(@Param('id', ParseIntPipe) id: number): Promise<RecordConflict[]> {
    return this.service.conflicts({ recordId: id });
  }
}

/** The records as a spreadsheet, beside the collection: `GET /records.xlsx`. */
@ApiTags('records')
@ApiBearerAuth()
@Controller()
export class RecordsWorkbookController {
  constructor(private readonly service: RecordsService) {}

  @Get('records.xlsx')
  @ApiOkResponse({
    description:
      'The selected records as .xlsx: a sheet per form type, the repeating parts and the warnings on sheets of their own',
  })
  xlsx(@Query(strictValidation) q: RecordSelectionDto): StreamableFile {
    return this.service.xlsx(q);
  }
}
