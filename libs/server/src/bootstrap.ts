import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { DomainExceptionFilter } from './domain-exception.filter';
import { addRecordSchemas } from './record-schemas';

/** What both services set up the same way: the error filter and OpenAPI docs at /docs. */
export function configureApp(app: INestApplication, title: string, description: string): INestApplication {
  app.useGlobalFilters(new DomainExceptionFilter());
  app.enableShutdownHooks();
  const doc = addRecordSchemas(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(title)
        .setDescription(description)
        .setVersion('1')
        .addBearerAuth()
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs/json' });
  return app;
}
