import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Response } from 'express';

/** The built review page (apps/web, built by `npm run build` into dist/web). */
export function findWebDir(start = __dirname): string | undefined {
  let dir = resolve(start);
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) {
      const web = join(dir, 'dist', 'web');
      return existsSync(join(web, 'index.html')) ? web : undefined;
    }
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/**
 * The page loads nothing from elsewhere: scripts and styles from /assets, the source-file
 * preview in a sandboxed frame (its images are data: URLs).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "img-src 'self' data:",
  "style-src 'self' 'unsafe-inline'",
  "frame-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Serves the review page at `/` (its assets under /assets). The page is public; everything it
 * shows comes from the API behind the token. Returns false when the page was not built.
 */
export function serveWebApp(app: NestExpressApplication, webDir = findWebDir()): boolean {
  if (!webDir) return false;
  const index = readFileSync(join(webDir, 'index.html'));
  app.useStaticAssets(join(webDir, 'assets'), { prefix: '/assets/', maxAge: '1h', index: false });
  const server = app.getHttpAdapter().getInstance() as {
    get(path: string, handler: (req: unknown, res: Response) => void): void;
  };
  server.get('/', (_req, res) => {
    res
      .set({
        'Content-Type': 'text/html; charset=utf-8',
        'Cache-Control': 'no-cache',
        'Content-Security-Policy': CONTENT_SECURITY_POLICY,
        'X-Content-Type-Options': 'nosniff',
        'Referrer-Policy': 'same-origin',
      })
      .send(index);
  });
  return true;
}
