#!/usr/bin/env node
// The `ferry` command line. Built by `npm run build` into dist/cli.js.
'use strict';
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`ferry: Node ${process.versions.node} is too old; Ferry needs Node >= 22 (run it through npx or npm scripts so the project's Node 22 is used).\n`);
  process.exit(2);
}
const notBuilt = (err) => err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]/.test(String(err.message));
try {
  const command = process.argv[2] ?? '';
  // Passes keep V8's young generation small (src/runner/youngGeneration.ts). Its flag is set before
  // dist/cli.js is compiled: V8 refuses a code cache taken under other flags.
  const young = require('../dist/youngGeneration.js');
  if (young.passCommands.includes(command)) young.keepYoungGenerationSmall();
  // V8's code cache of the bundles, per command, in the user's cache folder (bin/bundleCache.js):
  // a warm start compiles nothing it compiled before.
  const save = require('./bundleCache').useBundleCache(require('node:path').join(__dirname, '..', 'dist'), command);
  require('../dist/cli.js').main(process.argv.slice(2)).then((code) => {
    save();
    process.exitCode = code;
  });
} catch (err) {
  if (notBuilt(err)) {
    process.stderr.write('ferry: not built yet; run `npm run build` first.\n');
    process.exit(2);
  }
  throw err;
}
