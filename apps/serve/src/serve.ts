import 'reflect-metadata';
import type { AddressInfo } from 'node:net';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@formbridge/config';
import { configureApp, serveWebApp } from '@formbridge/server';
import { ServeModule } from './serve.module';

export interface Serving {
  url: string;
  /** False when the page was not built (the API still runs). */
  page: boolean;
  app: NestExpressApplication;
}

/** Starts the whole app (API, workers, page) on PORT and the given host. */
export async function serve(host: string): Promise<Serving> {
  const config = loadConfig();
  const app = await NestFactory.create<NestExpressApplication>(ServeModule, {
    logger: config.LOG_LEVEL === 'debug' ? ['error', 'warn', 'log', 'debug'] : ['error', 'warn'],
  });
  app.useBodyParser('json', { limit: config.MAX_FILE_BYTES });
  const page = serveWebApp(app);
  configureApp(app, 'FormBridge', 'Reads Word filings into records and renders the official forms back');
  await app.listen(config.PORT, host);
  const { port } = app.getHttpServer().address() as AddressInfo;
  const shown = host === '0.0.0.0' || host === '::' || host === '127.0.0.1' ? 'localhost' : host;
  return { url: `http://${shown}:${port}/`, page, app };
}
