import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { AccessControl } from './auth/access';
import { accessMiddleware } from './auth/access.middleware';
import { DomainExceptionFilter } from './domain-exception.filter';
import { addRecordSchemas } from './record-schemas';

/** The stateless parse and generate modules alone have no token check (tests build them so). */
function accessControlOf(app: INestApplication): AccessControl | undefined {
  try {
    return app.get(AccessControl, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * What both services set up the same way: the error filter and OpenAPI docs at /docs, behind
 * the token or the review page's sign-in where the service has them.
 */
export function configureApp(app: INestApplication, title: string, description: string): INestApplication {
  app.useGlobalFilters(new DomainExceptionFilter());
  app.enableShutdownHooks();
  const access = accessControlOf(app);
  if (access) app.use('/docs', accessMiddleware(access));
  const doc = addRecordSchemas(
    SwaggerModule.createDocument(
      app,
      new DocumentBuilder()
        .setTitle(title)
        .setDescription(description)
        .setVersion('1')
        .addBearerAuth()
        .addCookieAuth('formbridge_session')
        .build(),
    ),
  );
  SwaggerModule.setup('docs', app, doc, { jsonDocumentUrl: 'docs/json' });
  return app;
}
