#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const dist = join(__dirname, '..', 'dist');
const main = join(dist, 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(
    'formbridge: not built yet; run `npm ci` (or `npm run build`) in the project folder first\n',
  );
  process.exit(1);
}
// On the embedded database the command runs in a process started with memory settings that V8
// and glibc read only at start (libs/common/src/tuned-process.ts).
const { runTuned } = require(join(dist, 'libs', 'common', 'src', 'tuned-process.js'));
if (!runTuned(__filename)) require(main);
