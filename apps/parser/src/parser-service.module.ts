import { Module } from '@nestjs/common';
import { QueueName } from '@formbridge/queue';
import { BulkModule } from '@formbridge/server';
import { ImportUploadService } from './imports/import-upload.service';
import { ImportsController } from './imports/imports.controller';
import { ParserModule } from './parser.module';
import { RecordsController } from './records/records.controller';
import { RecordsService } from './records/records.service';

/**
 * The parser service as deployed: the stateless parse endpoints (ParserModule) plus bulk work:
 * parse workers, imports, records, the queue dashboard and the API token.
 */
@Module({
  imports: [ParserModule, BulkModule.forRoot({ workers: [QueueName.Parse] })],
  controllers: [ImportsController, RecordsController],
  providers: [ImportUploadService, RecordsService],
})
export class ParserServiceModule {}
