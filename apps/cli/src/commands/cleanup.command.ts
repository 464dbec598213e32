import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { withBulkContext } from '../bulk-run';

function days(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('a whole number of days');
  return Number(value);
}

export function registerCleanup(program: Command): void {
  program
    .command('cleanup')
    .description(
      'apply the retention settings now: delete generated export files older than EXPORT_RETENTION_DAYS (reports stay) and failed jobs older than FAILED_JOB_RETENTION_DAYS from Redis; prints a JSON summary',
    )
    .option('--export-days <n>', 'keep export files this many days instead of EXPORT_RETENTION_DAYS', days)
    .option(
      '--failed-job-days <n>',
      'keep failed jobs this many days instead of FAILED_JOB_RETENTION_DAYS',
      days,
    )
    .action(async (opts: { exportDays?: number; failedJobDays?: number }) => {
      const summary = await withBulkContext((ctx) => ctx.cleanup(opts));
      process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    });
}
