import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@formbridge/config';
import { ServiceLogger, exitOnStartupFailure, exitWithinAfterSignal } from '@formbridge/server';
import { GeneratorServiceModule } from './generator-service.module';
import { setUpGenerator } from './setup';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  exitWithinAfterSignal(config.SHUTDOWN_TIMEOUT_MS);
  const logger = new ServiceLogger(config);
  const app = await NestFactory.create<NestExpressApplication>(GeneratorServiceModule, {
    logger,
    abortOnError: false,
  });
  await setUpGenerator(app).listen(config.GENERATOR_PORT, config.HOST);
  logger.of('generator').log(`listening on ${await app.getUrl()}`, { port: config.GENERATOR_PORT });
}

bootstrap().catch(exitOnStartupFailure('generator'));
