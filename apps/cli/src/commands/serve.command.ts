import type { Command } from 'commander';
import { loadConfig } from '@formbridge/config';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'the whole app in one process: the review page, the HTTP API and the parse and generate workers (PORT, default 3000)',
    )
    .option('--host <address>', 'address to listen on (0.0.0.0: every network interface)', '127.0.0.1')
    .action(async (opts: { host: string }) => {
      // Loaded here, not at start: the HTTP modules read the configuration as they load, and a
      // bad setting must reach the CLI's one-line error handler, not crash the import.
      const { serve } = await import('../../../serve/src/serve');
      const { url, page } = await serve(opts.host);
      const token = loadConfig().FORMBRIDGE_API_TOKEN;
      process.stdout.write(`FormBridge: ${url}\n`);
      process.stderr.write(
        [
          page ? `open ${url} in a browser` : 'the page is not built (run `npm run build`); the API runs',
          token
            ? 'sign in with FORMBRIDGE_API_TOKEN'
            : 'no FORMBRIDGE_API_TOKEN: open to anyone who reaches it',
          `API docs ${url}docs, queues ${url}queues; stop with Ctrl-C`,
        ].join('\n') + '\n',
      );
    });
}
