import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { ErrorCode, FormBridgeError } from '@formbridge/common';
import { loadConfig } from '@formbridge/config';
import { documentFileName, generateDocx, generateStoredDocx, recordsFromInput } from '@formbridge/forms';
import { RecordService, Storage } from '@formbridge/storage';
import { readInputFile } from '../read-input';

function parseJson(path: string, bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch (err) {
    throw new FormBridgeError(ErrorCode.InvalidInput, `${path} is not JSON: ${(err as Error).message}`);
  }
}

const recordId = (v: string, prev: number[] = []) => {
  const id = Number(v);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new FormBridgeError(ErrorCode.InvalidInput, `not a record id: ${v}`);
  return [...prev, id];
};

/** Stored records, stamped: the filled-in form comes back as each record's next version. */
async function storedForms(ids: number[]): Promise<{ bytes: Uint8Array; name: string }> {
  const storage = await Storage.open(loadConfig());
  try {
    const service = new RecordService(storage.records);
    const records = await Promise.all(ids.map((id) => service.get(id)));
    return {
      bytes: generateStoredDocx(records, storage.deployment),
      name: documentFileName(records.map((r) => r.data)),
    };
  } finally {
    await storage.close();
  }
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('render records as the official Word forms: one .docx, a form per record')
    .argument('[in.json]', 'one record, or {"records": [...]}')
    .option(
      '--record <id>',
      'a stored record (repeat for several); its form can come back as its next version',
      recordId,
    )
    .option(
      '-o, --output <out.docx>',
      'where to write the .docx (default: named after the project or department)',
    )
    .action(async (input: string | undefined, opts: { output?: string; record?: number[] }) => {
      if (!input === !opts.record)
        throw new FormBridgeError(ErrorCode.InvalidInput, 'give either a JSON file or --record <id>');
      let bytes: Uint8Array;
      let name: string;
      if (opts.record) ({ bytes, name } = await storedForms(opts.record));
      else {
        const records = recordsFromInput(
          parseJson(input as string, await readInputFile(input as string, loadConfig().MAX_FILE_BYTES)),
        );
        bytes = generateDocx(records);
        name = documentFileName(records);
      }
      const out = opts.output ?? name;
      await writeFile(out, bytes);
      process.stdout.write(`${out}\n`);
    });
}
