import { Module } from '@nestjs/common';
import { HealthController } from '@formbridge/server';
import { ParseController } from './parse/parse.controller';
import { ParseService } from './parse/parse.service';

@Module({
  controllers: [ParseController, HealthController],
  providers: [ParseService],
})
export class ParserModule {}
