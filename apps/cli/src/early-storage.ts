import { within } from '@formbridge/common';
import { loadConfig } from '@formbridge/config';
import { PgliteDatabase } from '@formbridge/storage/pglite.database';

/** The commands that open the embedded database first thing and work long enough to gain by it. */
const EARLY_COMMANDS = new Set(['import', 'export']);

/**
 * `formbridge import` and `export` on the embedded database: begins opening it now, while the
 * command loads the rest of its code (BulkContext opens it again and takes this one). Not for
 * help, nor where the command refuses to run on the embedded database anyway.
 */
function openStorageEarly(argv: readonly string[]): void {
  const [command, ...rest] = argv.slice(2);
  if (!EARLY_COMMANDS.has(command)) return;
  if (rest.some((arg) => arg === '-h' || arg === '--help' || arg === '--no-local-workers')) return;
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch {
    return; // a bad setting is the command's to report
  }
  if (!config.DATABASE_URL) PgliteDatabase.openEarly(config.PGLITE_DIR, config.DATABASE_SCHEMA);
}

/**
 * Shuts down a database opened early that the command never took (it stopped first), before
 * the process exits: cleanly, and its folder unlocked. Waits at most `timeoutMs`.
 */
export function closeUntakenStorage(timeoutMs = 10_000): Promise<void> {
  return within(PgliteDatabase.closeEarly(), timeoutMs);
}

// Imported by main.ts before the commands' modules, so that this runs before they load.
openStorageEarly(process.argv);
