import 'reflect-metadata';
import { nameThisThread } from '@formbridge/common';
import { FormParser } from '../form-parser';
import type { ParseInput } from './parse-pool';
import { serveTasks } from './thread-pool';

// One parse thread of a ParsePool. It loads the parser and nothing else: in particular not
// ioredis, whose String subclass slows V8's string built-ins for the whole isolate
// (docs/bench.md; https://github.com/inikulin/parse5/issues/1348).
const parser = new FormParser();
nameThisThread('fb-parse');

serveTasks(({ bytes, options }: ParseInput) => parser.parse(new Uint8Array(bytes), options));
