import { workerData } from 'node:worker_threads';
import { nameThisThread } from '@formbridge/common';
import { DefinitionRegistry } from '@formbridge/definitions';
import { DocxGenerator, generateDocx } from '../generate/docx-generator';
import type { GenerateInput, GenerateThreadData } from './generate-pool';
import { serveTasks } from './thread-pool';

// One generate thread of a GeneratePool. It loads the generator alone (not the parser, not
// ioredis: see parse-thread.ts).
const given = (workerData as GenerateThreadData | undefined)?.definitions;
const generator = given ? new DocxGenerator(new DefinitionRegistry(given)) : undefined;
nameThisThread('fb-generate');

serveTasks(
  ({ records, options }: GenerateInput) => {
    const list = typeof records === 'string' ? (JSON.parse(records) as object[]) : records;
    return generator ? generator.generate(list, options) : generateDocx(list, options);
  },
  // The zip is written into a buffer of its own: moving it hands nothing else over.
  (bytes: Uint8Array) =>
    bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength
      ? [bytes.buffer as ArrayBuffer]
      : [],
);
