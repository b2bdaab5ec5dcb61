#!/usr/bin/env node
// The `ferry` command line. Built by `npm run build` into dist/cli.js.
'use strict';
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`ferry: Node ${process.versions.node} is too old; Ferry needs Node >= 22 (run it through npx or npm scripts so the project's Node 22 is used).\n`);
  process.exit(2);
}
// A pass command starts again with the native memory settings of a pass (bin/passProcess.js).
require('./passProcess').restartForPasses(process.argv[2] ?? '');
// V8's code cache of the bundles, per command, in the user's cache folder (bin/bundleCache.js):
// a warm start compiles nothing it compiled before.
const save = require('./bundleCache').useBundleCache(require('node:path').join(__dirname, '..', 'dist'), process.argv[2] ?? '');
try {
  require('../dist/cli.js').main(process.argv.slice(2)).then((code) => {
    save();
    process.exitCode = code;
  });
} catch (err) {
  if (err && err.code === 'MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
    process.stderr.write('ferry: not built yet; run `npm run build` first.\n');
    process.exit(2);
  }
  throw err;
}
