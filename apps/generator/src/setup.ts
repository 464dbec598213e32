import type { NestExpressApplication } from '@nestjs/platform-express';
import { loadConfig } from '@formbridge/config';
import { configureApp } from '@formbridge/server';

/** Error filter, OpenAPI at /docs, and a JSON body limit that lets a request carry many records. */
export function setUpGenerator(app: NestExpressApplication): NestExpressApplication {
  app.useBodyParser('json', { limit: loadConfig().MAX_FILE_BYTES });
  configureApp(
    app,
    'FormBridge generator',
    'Renders records of the FormBridge contract as the official Word forms',
  );
  return app;
}
