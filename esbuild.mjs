// Builds the three bundles: the extension (runs in the VS Code extension host), the command line
// and background workers (plain Node), and the dashboard webview (browser).
import fs from 'node:fs';
import path from 'node:path';
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
  // deasync is an optional native dependency of ews-javascript-api that cannot be bundled.
  external: ['vscode', 'deasync'],
  // imapflow without its log formatting when the logger is off (see the plugin).
  plugins: [imapflowQuietPatch],
};

const builds = [
  { ...node, entryPoints: { extension: 'src/extension/extension.ts' }, outdir: 'dist' },
  { ...node, entryPoints: { validateWorker: 'src/plan/validateWorker.ts', snapshotWorker: 'src/snapshot/snapshotWorker.ts', runner: 'src/runner/main.ts' }, outdir: 'dist' },
  // The command line as ES modules split at every dynamic import: `ferry validate` and `ferry status`
  // load the plan and store code only, a pass loads the connectors its plan names on first use
  // (dist/cli.mjs and dist/chunks/). CommonJS dependencies inside still find `require`,
  // `__filename` and `__dirname`.
  {
    ...node,
    format: 'esm',
    splitting: true,
    entryPoints: { cli: 'src/cli/main.ts' },
    outdir: 'dist',
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    banner: {
      js: "import { createRequire as __ferryRequire } from 'node:module'; const require = __ferryRequire(import.meta.url); const __filename = import.meta.filename; const __dirname = import.meta.dirname;",
    },
  },
  {
    bundle: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    entryPoints: { webview: 'webview/main.ts', dashboard: 'webview/dashboard.ts' },
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
  const results = await Promise.all(builds.map((options) => esbuild.build({ ...options, metafile: true })));
  // Chunks of earlier builds (their names carry a content hash) go; this build's stay.
  const written = new Set(results.flatMap((r) => Object.keys(r.metafile.outputs)).map((f) => path.resolve(f)));
  const chunks = path.resolve('dist', 'chunks');
  for (const name of fs.existsSync(chunks) ? fs.readdirSync(chunks) : []) {
    if (!written.has(path.join(chunks, name))) fs.rmSync(path.join(chunks, name), { force: true });
  }
}
