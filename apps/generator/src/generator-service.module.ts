import { Module } from '@nestjs/common';
import { GenerateWorkersModule } from './generate-workers.module';
import { GeneratorModule } from './generator.module';

/** The generator service as deployed: POST /generate plus the workers of bulk exports. */
@Module({
  imports: [GeneratorModule, GenerateWorkersModule],
})
export class GeneratorServiceModule {}
