#!/usr/bin/env node
// Checks that the packaged extension (dist/ferry.vsix, from `npm run package`) installs into a real
// VS Code: code-server's `--install-extension`, then `--list-extensions --show-versions` must list
// <publisher>.<name>@<version> from package.json. Prints "1 passed, 0 failed" or "0 passed, 1 failed".
//   node scripts/check-vsix.mjs [--vsix FILE]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { codeServerEntry, codeServerEnv, install, isInstalled, node22 } from './install-code-server.mjs';
import { lazyLibraries, sharedLibraries } from './lazy-libraries.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: opts } = parseArgs({ options: { vsix: { type: 'string' } } });
const vsix = path.resolve(opts.vsix ?? path.join(root, 'dist', 'ferry.vsix'));
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const expected = `${pkg.publisher}.${pkg.name}@${pkg.version}`.toLowerCase();
const started = Date.now();

function check() {
  if (!fs.existsSync(vsix)) throw new Error(`${path.relative(root, vsix)} is missing: run npm run package first`);
  if (!isInstalled()) install();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-vsix-'));
  try {
    const codeServer = (...args) => {
      const result = spawnSync(node22, [codeServerEntry, '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions'), ...args], {
        encoding: 'utf8',
        env: codeServerEnv(process.env, path.join(tmp, 'home')),
        timeout: 120_000,
      });
      if (result.error) throw result.error;
      if (result.status !== 0) throw new Error(`code-server ${args.join(' ')} exited with ${result.status ?? result.signal}:\n${result.stdout}${result.stderr}`);
      return result.stdout;
    };
    const installed = codeServer('--install-extension', vsix);
    console.log(installed.trim().split('\n').filter((line) => !/^\[.*\] info /.test(line)).join('\n'));
    const listed = codeServer('--list-extensions', '--show-versions').split('\n').map((line) => line.trim().toLowerCase());
    if (!listed.includes(expected)) throw new Error(`--list-extensions does not list ${expected}; it lists: ${listed.filter(Boolean).join(', ') || 'nothing'}`);
    // The heavy libraries' bundles, which the main bundles require on first use, were packaged.
    const installedDir = fs.readdirSync(path.join(tmp, 'extensions')).find((d) => d.toLowerCase().startsWith(`${pkg.publisher}.${pkg.name}-`.toLowerCase()));
    const absent = Object.keys({ ...lazyLibraries, ...sharedLibraries }).filter((bundle) => !installedDir || !fs.existsSync(path.join(tmp, 'extensions', installedDir, 'dist', 'lib', `${bundle}.js`)));
    if (absent.length) throw new Error(`the installed extension lacks dist/lib/${absent.join('.js, dist/lib/')}.js (.vscodeignore)`);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

try {
  check();
  console.log(`ok   ${path.relative(root, vsix)} installs into code-server's VS Code as ${expected} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  console.log('1 passed, 0 failed');
} catch (error) {
  console.log(`FAIL ${path.relative(root, vsix)}: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
