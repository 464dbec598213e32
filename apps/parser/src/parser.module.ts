import { Module } from '@nestjs/common';
import { HealthController } from '@formbridge/server';
import { DefinitionsController } from './definitions/definitions.controller';
import { DefinitionsService } from './definitions/definitions.service';
import { ParseController } from './parse/parse.controller';
import { ParseService } from './parse/parse.service';

@Module({
  controllers: [ParseController, DefinitionsController, HealthController],
  providers: [ParseService, DefinitionsService],
})
export class ParserModule {}
