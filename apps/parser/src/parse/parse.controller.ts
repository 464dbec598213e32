import {
  BadRequestException,
  Controller,
  HttpCode,
  Post,
  UploadedFile,
  UseInterceptors,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBody, ApiConsumes, ApiOkResponse, ApiResponse, ApiTags } from '@nestjs/swagger';
import { loadConfig } from '@formbridge/config';
import { ParseResultDto, UploadDto } from './parse.dto';
import { ParseService } from './parse.service';

function required(file: Express.Multer.File | undefined): Uint8Array {
  if (!file) throw new BadRequestException('send the submission as multipart field "file"');
  return file.buffer;
}

@ApiTags('parse')
@Controller()
export class ParseController {
  constructor(private readonly service: ParseService) {}

  @Post('parse')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: loadConfig().MAX_FILE_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDto })
  @ApiOkResponse({
    type: ParseResultDto,
    description: 'Records found and warnings (an unknown document gives no records and a warning)',
  })
  @ApiResponse({ status: 400, description: 'Unreadable file: empty, damaged, encrypted, unsafe XML' })
  @ApiResponse({ status: 413, description: 'File or an inflated part of it is too large' })
  @ApiResponse({ status: 415, description: 'Not a Word document' })
  parse(@UploadedFile() file?: Express.Multer.File): Promise<ParseResultDto> {
    return this.service.parse(required(file));
  }

  @Post('preview')
  @HttpCode(200)
  @UseInterceptors(FileInterceptor('file', { limits: { fileSize: loadConfig().MAX_FILE_BYTES, files: 1 } }))
  @ApiConsumes('multipart/form-data')
  @ApiBody({ type: UploadDto })
  @ApiOkResponse({ description: 'An HTML rendering of the submission for people to read (mammoth)' })
  preview(@UploadedFile() file?: Express.Multer.File): Promise<{ html: string; messages: string[] }> {
    return this.service.preview(required(file));
  }
}
