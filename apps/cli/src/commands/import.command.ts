import type { Command } from 'commander';
import { QueueName } from '@formbridge/queue';
import { assertWorkersCanReachDatabase, withBulkContext } from '../bulk-run';
import { checkPaths, submissionFiles } from '../import-sources';
import { ProgressBar } from '../progress-bar';

interface ImportOptions {
  localWorkers: boolean;
  compact?: boolean;
}

export function registerImport(program: Command): void {
  program
    .command('import')
    .description(
      'import Word submissions (files, folders, .zip archives) into the database through the parse queue; prints a JSON summary',
    )
    .argument('<paths...>', '.docx/.doc files, folders holding them, or .zip archives of them')
    .option('--no-local-workers', "only queue the files: the parser services' workers parse them")
    .option('--compact', 'print JSON on one line')
    .action(async (paths: string[], opts: ImportOptions) => {
      assertWorkersCanReachDatabase(opts.localWorkers);
      await checkPaths(paths);
      const started = Date.now();
      const summary = await withBulkContext(
        async (ctx) => {
          if (opts.localWorkers) ctx.startWorkers([QueueName.Parse]);
          const bar = new ProgressBar('import');
          const files = submissionFiles(paths, {
            maxFileBytes: ctx.config.MAX_FILE_BYTES,
            maxArchiveBytes: ctx.config.MAX_ARCHIVE_BYTES,
            maxArchiveEntries: 1_000_000,
          });
          let batchId = 0;
          // Progress is drawn while files are still being queued too, from the database; counting
          // the items is only for someone to see the counts (no terminal, no counting).
          const timer = setInterval(() => {
            if (batchId && bar.enabled)
              void ctx.reports.progress(batchId).then(
                (p) => bar.update(p),
                () => undefined,
              );
          }, 250);
          try {
            // Paced: the files are read from disk no faster than the workers parse them, so a
            // long import holds a few seconds' worth of files, not garbage of the whole batch.
            batchId = await ctx.imports.run(files, {
              paced: true,
              onStarted: (batch) => {
                batchId = batch.id;
                ctx.batch = { kind: 'import', id: batch.id, createdAt: batch.createdAt };
              },
            });
          } finally {
            clearInterval(timer);
          }
          await ctx.reports.waitForCompletion(batchId, bar.enabled ? (p) => bar.update(p) : undefined);
          bar.done();
          const r = await ctx.reports.importReport(batchId);
          return {
            batchId: r.batchId,
            status: r.status,
            files: r.total,
            imported: r.done,
            failed: r.failed,
            records: r.records,
            newRecords: r.newRecords,
            updatedRecords: r.updatedRecords,
            updatedRecordIds: r.updatedRecordIds,
            conflicts: r.conflicts,
            failures: r.failures,
            warnings: r.warnings,
            note: r.note,
            seconds: Math.round((Date.now() - started) / 100) / 10,
          };
        },
        { warm: opts.localWorkers ? [QueueName.Parse] : [] },
      );
      process.stdout.write(`${JSON.stringify(summary, null, opts.compact ? undefined : 2)}\n`);
    });
}
