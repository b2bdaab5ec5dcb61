#!/usr/bin/env -S GLIBC_TUNABLES=glibc.malloc.arena_max=2:${GLIBC_TUNABLES} node --v8-pool-size=1
// The `ferry` command line. Built by `npm run build` into dist/cli.js.
// The line above starts every `ferry` with the native memory settings of a pass (issue 17): glibc's
// malloc arenas capped at 2 and one V8 worker thread (bin/passProcess.js says why). They only apply
// before a process starts; set there they cost nothing. An operator's own GLIBC_TUNABLES comes after
// ours, so its arena_max wins.
'use strict';
const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`ferry: Node ${process.versions.node} is too old; Ferry needs Node >= 22 (run it through npx or npm scripts so the project's Node 22 is used).\n`);
  process.exit(2);
}
const notBuilt = (err) => err && err.code === 'MODULE_NOT_FOUND' && /dist[\\/]/.test(String(err.message));
try {
  const command = process.argv[2] ?? '';
  // A pass command started without those settings (`node bin/ferry.js run`) starts again with them.
  require('./passProcess').restartForPasses(command);
  // V8's code cache of the bundles, per command (and pass of `run`), in the user's cache folder
  // (bin/bundleCache.js): a warm start compiles nothing it compiled before.
  const bundleCache = require('./bundleCache');
  const kind = bundleCache.cacheKind(process.argv.slice(2));
  // V8's heap flags of a pass (src/engine/passHeap.ts) are set before dist/cli.js is compiled: V8
  // refuses a code cache taken under other flags, Node's own cache of its builtins too. A delta
  // sets them only once it has something to list and copy (a quiet delta never loads a builtin
  // from source); other passes, whose young generation must stay small from the start, now.
  const heap = require('../dist/passHeap.js');
  if (kind === 'run-delta') heap.sizeHeapWhenCopying();
  else if (heap.passCommands.includes(command)) heap.sizeHeapForPasses();
  const save = bundleCache.useBundleCache(require('node:path').join(__dirname, '..', 'dist'), kind);
  // The same folder keeps the validated plans (src/runner/planCache.ts).
  globalThis[Symbol.for('ferry.cacheFolder')] = bundleCache.cacheFolder();
  require('../dist/cli.js').main(process.argv.slice(2)).then((code) => {
    // The cache carries V8's flags: those of the start, not a pass's heap sizing.
    heap.heapFlagsOfStart();
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
