import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { QueueName } from '@formbridge/queue';
import { withBulkContext } from '../bulk-run';

function parseQueues(value: string): QueueName[] {
  const names = value.split(',').map((s) => s.trim());
  const known = Object.values(QueueName) as string[];
  const bad = names.filter((n) => !known.includes(n));
  if (bad.length)
    throw new InvalidArgumentError(`unknown queue ${bad.join(', ')}; queues: ${known.join(', ')}`);
  return names as QueueName[];
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .description(
      'run queue workers only (no HTTP), until stopped with Ctrl-C or SIGTERM: extra capacity on any machine that reaches Redis and PostgreSQL',
    )
    .option(
      '--queues <names>',
      `comma-separated: ${Object.values(QueueName).join(', ')}`,
      parseQueues,
      Object.values(QueueName),
    )
    .action(async (opts: { queues: QueueName[] }) => {
      await withBulkContext(
        async (ctx) => {
          ctx.startWorkers(opts.queues);
          process.stderr.write(`formbridge worker: consuming ${opts.queues.join(', ')}; stop with Ctrl-C\n`);
          await new Promise<never>(() => undefined);
        },
        { generate: true },
      );
    });
}
