import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { loadConfig } from '@formbridge/config';
import { hasToken } from './bulk/api-token.guard';
import { DomainExceptionFilter, ErrorBody } from './domain-exception.filter';
import { addRecordSchemas } from './record-schemas';

/**
 * Express middleware for what Nest's guards do not cover (the OpenAPI pages, Bull Board): the same
 * token, the same error body.
 */
export function tokenMiddleware(token: string | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    if (!token || hasToken(req.headers.authorization, token)) return next();
    res.status(401).json({
      code: 'UNAUTHORIZED',
      message: 'send Authorization: Bearer <FORMBRIDGE_API_TOKEN>',
    } satisfies ErrorBody);
  };
}

/** What both services set up the same way: the error filter and OpenAPI docs at /docs (behind the token). */
export function configureApp(app: INestApplication, title: string, description: string): INestApplication {
  app.useGlobalFilters(new DomainExceptionFilter());
  app.enableShutdownHooks();
  app.use('/docs', tokenMiddleware(loadConfig().FORMBRIDGE_API_TOKEN));
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
