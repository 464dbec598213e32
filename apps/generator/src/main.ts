import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@formbridge/config';
import { GeneratorServiceModule } from './generator-service.module';
import { setUpGenerator } from './setup';

async function bootstrap(): Promise<void> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(GeneratorServiceModule, {
    logger: ['error', 'warn', config.LOG_LEVEL],
  });
  await setUpGenerator(app).listen(config.GENERATOR_PORT, config.HOST);
}

void bootstrap();
