import 'reflect-metadata';
// First: it begins opening the embedded database while the modules below load.
import { closeUntakenStorage } from './early-storage';
import { Command, CommanderError } from 'commander';
import { exitQuietlyOnClosedPipe, reportAndExit } from './cli-error';
import { registerParse } from './commands/parse.command';
import { registerImport } from './commands/import.command';
import { registerRecords } from './commands/records.command';
import { registerExport } from './commands/export.command';
import { registerWorker } from './commands/worker.command';
import { registerGenerate } from './commands/generate.command';
import { registerServe } from './commands/serve.command';
import { registerHistory } from './commands/history.command';
import { registerCleanup } from './commands/cleanup.command';

/**
 * The `formbridge` command. Each sub-command lives in commands/ and only translates between the
 * command line and one library call.
 */
export function buildProgram(): Command {
  const program = new Command('formbridge')
    .description('Moves fiscal performance-target filings between Word and a database')
    .showHelpAfterError()
    // Usage errors (a missing required option, an unknown command) exit 2 like every other bad
    // usage, not commander's 1 (which means an unexpected error here).
    .exitOverride();
  registerParse(program);
  registerImport(program);
  registerRecords(program);
  registerExport(program);
  registerWorker(program);
  registerGenerate(program);
  registerServe(program);
  registerHistory(program);
  registerCleanup(program);
  return program;
}

exitQuietlyOnClosedPipe();
buildProgram()
  .parseAsync(process.argv)
  .catch(async (err: unknown) => {
    await closeUntakenStorage();
    if (err instanceof CommanderError) process.exit(err.exitCode === 0 ? 0 : 2);
    reportAndExit(err);
  });
