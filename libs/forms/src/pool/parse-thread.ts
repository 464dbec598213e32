import 'reflect-metadata';
import { parentPort } from 'node:worker_threads';
import { FormBridgeError } from '@formbridge/common';
import { FormParser } from '../form-parser';
import type { ParseReply, ParseRequest } from './parse-pool';

// One parse thread of a ParsePool. It loads the parser and nothing else: in particular not
// ioredis, whose String subclass slows V8's string built-ins for the whole isolate
// (docs/bench.md; https://github.com/inikulin/parse5/issues/1348).
const parser = new FormParser();
const port = parentPort;
if (!port) throw new Error('parse-thread runs only as a worker thread of a ParsePool');

port.on('message', (request: ParseRequest) => {
  void parser.parse(new Uint8Array(request.bytes), request.options).then(
    (result) => port.postMessage({ id: request.id, result } satisfies ParseReply),
    (err: unknown) => {
      const error =
        err instanceof FormBridgeError
          ? { code: err.code, message: err.message, details: err.details }
          : { message: err instanceof Error ? (err.stack ?? err.message) : String(err) };
      port.postMessage({ id: request.id, error } satisfies ParseReply);
    },
  );
});
