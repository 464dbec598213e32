import 'reflect-metadata';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { FormParser, generateDocx } from '@formbridge/forms';
import { VariedRecords } from './varied-records';

/**
 * The denominators of importOverParse and exportOverGenerate, each in a clean process of its own
 * (started by the bulk part): `parse <folder>` parses every file of the batch one after another
 * on one thread, bytes already in memory (`parse <folder> <part> <of>`: a share of them, for two
 * processes side by side); `generate <n>` renders the batch's n records to .docx
 * bytes in memory (`generate <n> <part> <of>`: a share of them, likewise). Prints
 * {"seconds": …, "items": …}.
 */
function main(): void {
  const [what, arg] = process.argv.slice(2);
  if (what === 'parse') {
    // `parse <folder> [<part> <of>]`: every file, or every <of>-th from the <part>-th (two
    // processes side by side on halves of the batch: what two cores of this machine parse at best).
    const [part, of] = process.argv.slice(4).map(Number);
    const files = readdirSync(arg)
      .sort()
      .filter((_, i) => !of || i % of === part)
      .map((f) => readFileSync(join(arg, f)));
    const parser = new FormParser();
    const started = performance.now();
    let records = 0;
    for (const bytes of files) records += parser.parseDocx(bytes).records.length;
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify({ seconds, items: files.length, records })}\n`);
  } else if (what === 'generate') {
    const n = Number(arg);
    const [part, of] = process.argv.slice(4).map(Number);
    const source = new VariedRecords();
    const records = Array.from({ length: n }, (_, i) => i)
      .filter((i) => !of || i % of === part)
      .map((i) => source.at(i));
    const started = performance.now();
    let bytes = 0;
    for (const r of records) bytes += generateDocx([r]).length;
    const seconds = (performance.now() - started) / 1000;
    process.stdout.write(`${JSON.stringify({ seconds, items: records.length, bytes })}\n`);
  } else {
    throw new Error('usage: alone.js parse <folder> [<part> <of>] | generate <count> [<part> <of>]');
  }
}

main();
