#!/usr/bin/env node
// The package's command line. It runs the compiled service code: `npm run build:server` (or `npm start`) builds it.
const path = require('node:path');
const { existsSync } = require('node:fs');

const entry = path.join(__dirname, '..', 'dist', 'server', 'src', 'cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write('prechat-guard: not built yet; run `npm run build:server` first.\n');
  process.exit(1);
}
require(entry)
  .runCli(process.argv.slice(2))
  .then(
    (code) => {
      if (code !== undefined) process.exitCode = code;
    },
    (error) => {
      process.stderr.write(`prechat-guard: ${error.message}\n`);
      process.exitCode = 1;
    },
  );
