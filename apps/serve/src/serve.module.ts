import { Module } from '@nestjs/common';
import { QueueName } from '@formbridge/queue';
import { BulkModule } from '@formbridge/server';
import { GeneratorModule } from '../../generator/src/generator.module';
import { ParserBulkModule } from '../../parser/src/parser-bulk.module';
import { ParserModule } from '../../parser/src/parser.module';

/**
 * The whole app in one process: both services' modules, one storage and Redis connection
 * (one process may hold the embedded database), the workers of both queues, and the page.
 */
@Module({
  imports: [
    ParserModule,
    GeneratorModule,
    BulkModule.forRoot({
      workers: [QueueName.Parse, QueueName.Generate],
      generate: true,
    }),
    ParserBulkModule,
  ],
})
export class ServeModule {}
