import { Body, Controller, HttpCode, Post, StreamableFile } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBody, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import { contentDisposition } from '@formbridge/server';
import { DOCX_MIME, GENERATE_BODY_SCHEMA, InvalidRecordDto } from './generate.dto';
import { GenerateService } from './generate.service';

@ApiTags('generate')
@Controller()
export class GenerateController {
  constructor(private readonly service: GenerateService) {}

  @Post('generate')
  @HttpCode(200)
  @ApiBody({ schema: GENERATE_BODY_SCHEMA })
  @ApiProduces(DOCX_MIME)
  @ApiOkResponse({
    description:
      'The official Word form(s), one per record, named after the project or department (Content-Disposition)',
    schema: { type: 'string', format: 'binary' },
  })
  @ApiBadRequestResponse({
    type: InvalidRecordDto,
    description: 'An invalid record: `errors` lists each field error, path and reason',
  })
  generate(@Body() body: unknown): StreamableFile {
    const doc = this.service.generate(body);
    return new StreamableFile(doc.bytes, {
      type: DOCX_MIME,
      disposition: contentDisposition(doc.fileName),
      length: doc.bytes.length,
    });
  }
}
