#!/usr/bin/env node
'use strict';
const { existsSync } = require('node:fs');
const { join } = require('node:path');

const main = join(__dirname, '..', 'dist', 'apps', 'cli', 'src', 'main.js');
if (!existsSync(main)) {
  process.stderr.write(
    'formbridge: not built yet; run `npm ci` (or `npm run build`) in the project folder first\n',
  );
  process.exit(1);
}
require(main);
