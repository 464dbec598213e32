import type { Command } from 'commander';
import { loadConfig } from '@formbridge/config';
import { RecordService, Storage } from '@formbridge/storage';
import { formatHistory } from '../history-format';

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description(
      "a record's versions, what made each (import, edit, return) and what it changed; its sources and warnings",
    )
    .argument('<id>', 'record id')
    .option('--json', 'print {record, versions, conflicts} as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const storage = await Storage.open(loadConfig());
      try {
        const service = new RecordService(storage.records);
        const record = await service.getPublic(Number(id));
        const versions = await service.versions(record.id);
        const conflicts = await service.conflicts({ recordId: record.id });
        process.stdout.write(
          opts.json
            ? `${JSON.stringify({ record, versions, conflicts }, null, 2)}\n`
            : formatHistory(record, versions, conflicts),
        );
      } finally {
        await storage.close();
      }
    });
}
