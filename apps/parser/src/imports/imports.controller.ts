import {
  BadRequestException,
  Controller,
  Get,
  HttpCode,
  Param,
  ParseIntPipe,
  Post,
  Query,
  UploadedFiles,
  UseInterceptors,
} from '@nestjs/common';
import { FilesInterceptor } from '@nestjs/platform-express';
import type { MulterOptions } from '@nestjs/platform-express/multer/interfaces/multer-options.interface';
import {
  ApiAcceptedResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import { strictValidation } from '@formbridge/server';
import { loadConfig } from '@formbridge/config';
import type { BatchPage, ImportReport } from '@formbridge/queue';
import { PageQueryDto } from '../page-query.dto';
import { ImportAccepted, ImportUploadService } from './import-upload.service';

function uploadLimits(): MulterOptions {
  const c = loadConfig();
  return {
    limits: { fileSize: Math.max(c.MAX_FILE_BYTES, c.MAX_ARCHIVE_BYTES), files: c.MAX_IMPORT_FILES },
    // File names are UTF-8 (Chinese names are the rule here), not busboy's latin1 default.
    defParamCharset: 'utf8',
  } as MulterOptions;
}

function required(files: Express.Multer.File[] | undefined): Express.Multer.File[] {
  if (!files?.length)
    throw new BadRequestException('send the submissions (.docx, .doc or .zip) as multipart field "files"');
  return files;
}

@ApiTags('imports')
@ApiBearerAuth()
@Controller('imports')
export class ImportsController {
  constructor(private readonly service: ImportUploadService) {}

  @Post()
  @HttpCode(202)
  @UseInterceptors(FilesInterceptor('files', loadConfig().MAX_IMPORT_FILES, uploadLimits()))
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      properties: { files: { type: 'array', items: { type: 'string', format: 'binary' } } },
    },
  })
  @ApiAcceptedResponse({ description: 'The batch is queued; poll GET /imports/{id}' })
  start(@UploadedFiles() files?: Express.Multer.File[]): Promise<ImportAccepted> {
    return this.service.start(required(files));
  }

  @Get()
  @ApiOkResponse({
    description: 'Past imports, newest first, with their progress: {items, total, limit, offset}',
  })
  list(@Query(strictValidation) q: PageQueryDto): Promise<BatchPage> {
    return this.service.list(q.limit, q.offset);
  }

  @Get(':id')
  @ApiOkResponse({
    description:
      'Progress, results (records, newRecords, updatedRecords with updatedRecordIds, conflicts of returned forms, warnings) and failures with reasons',
  })
  report(@Param('id', ParseIntPipe) id: number): Promise<ImportReport> {
    return this.service.report(id);
  }
}
