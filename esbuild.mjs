// Builds the bundles: the extension (runs in the VS Code extension host), the command line and
// background workers (plain Node), the webviews (browser), and one per heavy library (dist/lib/,
// required on first use: scripts/lazy-libraries.mjs).
import * as esbuild from 'esbuild';
import { lazyLibraryBuilds, lazyLibraryPlugin, nodeBundleOptions } from './scripts/lazy-libraries.mjs';
import { schemaShapeJson } from './scripts/schema-shape.mjs';
import { builtinNamespaces } from './scripts/builtin-namespaces.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

// The state database's expected shape, known at build (scripts/schema-shape.mjs); not in watch
// mode, where a migration edited later would leave it stale.
const shape = watch ? undefined : await schemaShapeJson();
const node = { ...nodeBundleOptions(production), ...(shape ? { define: { FERRY_SCHEMA_SHAPE: JSON.stringify(shape) } } : {}) };

// The main bundles require the heavy libraries' bundles (dist/lib/*.js) on first use, and share
// one namespace per often-imported builtin (scripts/builtin-namespaces.mjs).
const main = { ...node, plugins: [builtinNamespaces, ...node.plugins, lazyLibraryPlugin] };

const builds = [
  { ...main, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  { ...main, entryPoints: { validateWorker: 'src/plan/validateWorker.ts', snapshotWorker: 'src/snapshot/snapshotWorker.ts', cli: 'src/cli/main.ts', runner: 'src/runner/main.ts', pgWorker: 'src/store/postgres/pgWorker.ts', hashWorker: 'src/connectors/hashWorker.ts', passHeap: 'src/engine/passHeap.ts' }, outdir: 'dist' },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { webview: 'webview/main.ts', dashboard: 'webview/dashboard.ts', mailbox: 'webview/mailbox.ts' },
    outdir: 'dist',
  },
  ...lazyLibraryBuilds(node, 'dist'),
];

if (watch) {
  for (const options of builds) {
    const ctx = await esbuild.context(options);
    await ctx.watch();
  }
  console.log('esbuild: watching');
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
