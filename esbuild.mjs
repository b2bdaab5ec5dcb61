// Builds the three bundles: the extension (runs in the VS Code extension host), the command line
// and background workers (plain Node), and the dashboard webview (browser).
import * as esbuild from 'esbuild';
import { imapflowQuietPatch } from './scripts/imapflow-quiet-patch.mjs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const node = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node22',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  // deasync: an optional native dependency of ews-javascript-api; pg-native: pg's optional libpq
  // binding, not used (the distributed mode talks pg's own protocol). Neither can be bundled.
  external: ['vscode', 'deasync', 'pg-native'],
  // imapflow without its log formatting when the logger is off (see the plugin).
  plugins: [imapflowQuietPatch],
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { validateWorker: 'src/plan/validateWorker.ts', snapshotWorker: 'src/snapshot/snapshotWorker.ts', cli: 'src/cli/main.ts', runner: 'src/runner/main.ts', pgWorker: 'src/store/postgres/pgWorker.ts' }, outdir: 'dist' },
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
