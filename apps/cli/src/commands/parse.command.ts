import type { Command } from 'commander';
import { loadConfig } from '@formbridge/config';
import { FormParser } from '@formbridge/forms';
import { renderHtml } from '@formbridge/word';
import { readInputFile } from '../read-input';

export function registerParse(program: Command): void {
  program
    .command('parse')
    .description('read a Word submission; print {"records": [...], "warnings": [...]} as JSON')
    .argument('<file>', '.docx, .doc or .rtf file')
    .option('--compact', 'print JSON on one line')
    .action(async (file: string, opts: { compact?: boolean }) => {
      const config = loadConfig();
      const bytes = await readInputFile(file, config.MAX_FILE_BYTES);
      const result = await new FormParser().parse(bytes, {
        maxBytes: config.MAX_FILE_BYTES,
        zip: { maxEntryBytes: config.MAX_INFLATED_BYTES, maxEntries: 5000 },
        converter: { command: config.SOFFICE_PATH, timeoutMs: config.CONVERT_TIMEOUT_MS },
      });
      process.stdout.write(`${JSON.stringify(result, null, opts.compact ? undefined : 2)}\n`);
    });

  program
    .command('preview')
    .description('render a .docx submission as HTML for people to read (mammoth)')
    .argument('<file>', '.docx file')
    .action(async (file: string) => {
      const { html } = await renderHtml(await readInputFile(file, loadConfig().MAX_FILE_BYTES));
      process.stdout.write(`<!doctype html><meta charset="utf-8">\n${html}\n`);
    });
}
