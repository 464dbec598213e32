import { Module } from '@nestjs/common';
import { DefinitionsController } from './definitions/definitions.controller';
import { DefinitionsService } from './definitions/definitions.service';
import { ExportsController } from './exports/exports.controller';
import { ExportsService } from './exports/exports.service';
import { ImportUploadService } from './imports/import-upload.service';
import { ImportsController } from './imports/imports.controller';
import { ConflictsController } from './records/conflicts.controller';
import { RecordsController, RecordsWorkbookController } from './records/records.controller';
import { RecordsService } from './records/records.service';

/**
 * The parser service's bulk API: imports, records, returned-form conflicts, exports and the form
 * definitions the review page builds its fields from. Needs a BulkModule (storage, queues) beside it.
 */
@Module({
  controllers: [
    ImportsController,
    RecordsController,
    RecordsWorkbookController,
    ConflictsController,
    ExportsController,
    DefinitionsController,
  ],
  providers: [ImportUploadService, RecordsService, ExportsService, DefinitionsService],
})
export class ParserBulkModule {}
