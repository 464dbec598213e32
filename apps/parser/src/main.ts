import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@formbridge/config';
import { configureApp, serveWebApp } from '@formbridge/server';
import { ParserServiceModule } from './parser-service.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(ParserServiceModule, {
    logger: ['error', 'warn', config.LOG_LEVEL],
  });
  serveWebApp(app);
  configureApp(
    app,
    'FormBridge parser',
    'Reads legacy Word submissions into records of the FormBridge contract',
  );
  await app.listen(config.PARSER_PORT, config.HOST);
}

void bootstrap();
