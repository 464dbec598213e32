import { Module } from '@nestjs/common';
import { HealthController } from '@formbridge/server';
import { GenerateController } from './generate/generate.controller';
import { GenerateService } from './generate/generate.service';

/** The stateless generate endpoint: records in, .docx out. */
@Module({
  controllers: [GenerateController, HealthController],
  providers: [GenerateService],
})
export class GeneratorModule {}
