import { Module } from '@nestjs/common';
import { QueueName } from '@formbridge/queue';
import { BulkModule } from '@formbridge/server';

/**
 * The generator service's share of bulk work: workers for the generate queue (bulk exports), the
 * queue dashboard and the API token. Add it to the service's module imports.
 */
@Module({
  imports: [BulkModule.forRoot({ workers: [QueueName.Generate], generate: true })],
})
export class GenerateWorkersModule {}
