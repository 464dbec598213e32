import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { loadConfig } from '@formbridge/config';
import { ServiceLogger, configureApp, exitOnStartupFailure, exitWithinAfterSignal } from '@formbridge/server';
import { ParserServiceModule } from './parser-service.module';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  exitWithinAfterSignal(config.SHUTDOWN_TIMEOUT_MS);
  const logger = new ServiceLogger(config);
  const app = configureApp(
    await NestFactory.create(ParserServiceModule, { logger, abortOnError: false }),
    'FormBridge parser',
    'Reads legacy Word submissions into records of the FormBridge contract',
  );
  await app.listen(config.PARSER_PORT, config.HOST);
  logger.of('parser').log(`listening on ${await app.getUrl()}`, { port: config.PARSER_PORT });
}

bootstrap().catch(exitOnStartupFailure('parser'));
