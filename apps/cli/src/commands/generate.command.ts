import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { loadConfig } from '@formbridge/config';
import { documentFileName, generateDocx, recordsFromInput } from '@formbridge/forms';
import { readInputFile } from '../read-input';

function parseJson(path: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new FormBridgeError(ErrorCode.InvalidInput, `${path} is not JSON: ${(err as Error).message}`);
  }
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('render records as the official Word forms: one .docx, a form per record')
    .argument('<in.json>', 'one record, or {"records": [...]}')
    .option(
      '-o, --output <out.docx>',
      'where to write the .docx (default: named after the project or department)',
    )
    .action(async (input: string, opts: { output?: string }) => {
      const records = recordsFromInput(
        parseJson(input, await readInputFile(input, loadConfig().MAX_FILE_BYTES)),
      );
      const out = opts.output ?? documentFileName(records);
      await writeFile(out, generateDocx(records));
      process.stdout.write(`${out}\n`);
    });
}
