import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import { loadConfig } from '@formbridge/config';
import { definitions } from '@formbridge/definitions';
import { storedWarnings, writeRecordsWorkbook } from '@formbridge/queue';
import { RecordService, Storage } from '@formbridge/storage';
import { FilterOptions, addFilterOptions, filterOf } from '../record-filter-options';

interface RecordsOptions extends FilterOptions {
  json?: boolean;
  xlsx?: string;
}

const cell = (v: unknown, width: number) => {
  const text = v === null || v === undefined ? '' : String(v);
  return [...text].length > width ? `${[...text].slice(0, width - 1).join('')}…` : text.padEnd(width);
};

export function registerRecords(program: Command): void {
  addFilterOptions(
    program
      .command('records')
      .description(
        'list stored records; with --json, a JSON array of the records themselves plus their id, version and source',
      ),
  )
    .option('--json', 'print the records as a JSON array')
    .option(
      '--xlsx <file>',
      'write the records as an Excel workbook: a sheet per form type, the repeating parts and the warnings on sheets of their own',
    )
    .action(async (opts: RecordsOptions) => {
      const storage = await Storage.open(loadConfig());
      try {
        const records = new RecordService(storage.records).stream(filterOf(opts));
        const out = process.stdout;
        let n = 0;
        if (opts.xlsx) {
          const file = createWriteStream(opts.xlsx);
          n = await writeRecordsWorkbook(
            definitions().definitions,
            { records, warnings: storedWarnings(storage) },
            file,
          );
          await finished(file);
          process.stderr.write(`${n} record${n === 1 ? '' : 's'} written to ${opts.xlsx}\n`);
          return;
        }
        if (opts.json) {
          out.write('[');
          for await (const r of records) out.write(`${n++ ? ',' : ''}\n${JSON.stringify(r)}`);
          out.write(n ? '\n]\n' : ']\n');
          return;
        }
        out.write(
          `${cell('id', 8)} ${cell('year', 5)} ${cell('form type', 38)} ${cell('department', 24)} project\n`,
        );
        for await (const r of records) {
          n++;
          out.write(
            `${cell(r.id, 8)} ${cell(r.year, 5)} ${cell(r.formType, 38)} ${cell(r.departmentName, 24)} ${r.projectName ?? ''}\n`,
          );
        }
        process.stderr.write(`${n} record${n === 1 ? '' : 's'}\n`);
      } finally {
        await storage.close();
      }
    });
}
