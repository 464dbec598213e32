import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@formbridge/config';
import {
  ServiceLogger,
  configureApp,
  exitOnStartupFailure,
  exitWithinAfterSignal,
  serveWebApp,
} from '@formbridge/server';
import { ParserServiceModule } from './parser-service.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  exitWithinAfterSignal(config.SHUTDOWN_TIMEOUT_MS);
  const logger = new ServiceLogger(config);
  const app = await NestFactory.create<NestExpressApplication>(ParserServiceModule, {
    logger,
    abortOnError: false,
  });
  serveWebApp(app);
  configureApp(
    app,
    'FormBridge parser',
    'Reads legacy Word submissions into records of the FormBridge contract',
  );
  await app.listen(config.PARSER_PORT, config.HOST);
  logger.of('parser').log(`listening on ${await app.getUrl()}`, { port: config.PARSER_PORT });
}

bootstrap().catch(exitOnStartupFailure('parser'));
