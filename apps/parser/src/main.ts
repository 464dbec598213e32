import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@formbridge/config';
import { configureApp } from '@formbridge/server';
import { ParserServiceModule } from './parser-service.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = configureApp(
    await NestFactory.create(ParserServiceModule, { logger: ['error', 'warn', config.LOG_LEVEL] }),
    'FormBridge parser',
    'Reads legacy Word submissions into records of the FormBridge contract',
  );
  await app.listen(config.PARSER_PORT, config.HOST);
}

void bootstrap();
