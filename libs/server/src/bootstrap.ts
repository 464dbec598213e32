import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { loadConfig } from '@formbridge/config';
import { AccessControl } from './auth/access';
import { accessMiddleware } from './auth/access.middleware';
import { hasToken } from './auth/access';
import { DomainExceptionFilter, ErrorBody } from './domain-exception.filter';
import { addRecordSchemas } from './record-schemas';

/**
 * Express middleware for what Nest's guards do not cover (the OpenAPI pages, Bull Board) on a
 * service without the review page's sign-in: the same token, the same error body.
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

/** The stateless parse and generate modules alone have no sign-in (tests build them so). */
function accessControlOf(app: INestApplication): AccessControl | undefined {
  try {
    return app.get(AccessControl, { strict: false });
  } catch {
    return undefined;
  }
}

/**
 * What both services set up the same way: the error filter and OpenAPI docs at /docs, behind
 * the token or the review page's sign-in where the service has it.
 */
export function configureApp(app: INestApplication, title: string, description: string): INestApplication {
  app.useGlobalFilters(new DomainExceptionFilter());
  app.enableShutdownHooks();
  const access = accessControlOf(app);
  app.use('/docs', access ? accessMiddleware(access) : tokenMiddleware(loadConfig().FORMBRIDGE_API_TOKEN));
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
