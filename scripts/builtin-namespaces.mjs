// One module namespace per often-imported Node builtin in a bundle. esbuild turns each
// `import * as fs from 'node:fs'` of each source module into its own
// `__toESM(require('node:fs'))`, which copies every export of the builtin into a new object (a
// getter each, ~100 for node:fs): 60 such copies in dist/cli.js, 1.4-3 ms of every start (issue
// 17). Through this plugin each of these builtins is one small ESM module of the bundle that
// re-exports it once, shared by every importer. `require()` and `import()` stay as they are.
const SHARED = /^node:(fs|path|os)$/;

export const builtinNamespaces = {
  name: 'builtin-namespaces',
  setup(build) {
    build.onResolve({ filter: SHARED }, (args) => (args.kind === 'import-statement' && args.namespace !== 'builtin-namespace' ? { path: args.path, namespace: 'builtin-namespace' } : { path: args.path, external: true }));
    build.onLoad({ filter: /.*/, namespace: 'builtin-namespace' }, (args) => ({ contents: `export * from ${JSON.stringify(args.path)};\nexport { default } from ${JSON.stringify(args.path)};\n`, loader: 'js' }));
  },
};
