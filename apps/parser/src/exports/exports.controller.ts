import {
  Body,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { strictValidation } from '@formbridge/server';
import type { BatchPage, ExportReport } from '@formbridge/queue';
import { PageQueryDto } from '../page-query.dto';
import { StartExportDto } from './exports.dto';
import { ExportAccepted, ExportsService } from './exports.service';

@ApiTags('exports')
@ApiBearerAuth()
@Controller('exports')
export class ExportsController {
  constructor(private readonly service: ExportsService) {}

  @Post()
  @HttpCode(202)
  @ApiAcceptedResponse({ description: 'The export is queued; poll GET /exports/{id}, then download' })
  start(@Body(strictValidation) dto: StartExportDto): Promise<ExportAccepted> {
    return this.service.start(dto);
  }

  @Get()
  @ApiOkResponse({
    description: 'Past exports, newest first, with their progress: {items, total, limit, offset}',
  })
  list(@Query(strictValidation) q: PageQueryDto): Promise<BatchPage> {
    return this.service.list(q.limit, q.offset);
  }

  @Get(':id')
  @ApiOkResponse({ description: 'Progress and failures' })
  report(@Param('id', ParseIntPipe) id: number): Promise<ExportReport> {
    return this.service.report(id);
  }

  @Get(':id/download')
  @ApiOkResponse({
    description: 'A .zip of the generated .docx files and index.xlsx (409 until the export is finished)',
  })
  download(@Param('id', ParseIntPipe) id: number): Promise<StreamableFile> {
    return this.service.download(id);
  }
}
