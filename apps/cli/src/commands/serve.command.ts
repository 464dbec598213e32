import type { Command } from 'commander';
import { loadConfig } from '@formbridge/config';
import { serve } from '../../../serve/src/serve';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'the whole app in one process: the review page, the HTTP API and the parse and generate workers (PORT, default 3000)',
    )
    .option('--host <address>', 'address to listen on (0.0.0.0: every network interface)', '127.0.0.1')
    .action(async (opts: { host: string }) => {
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
