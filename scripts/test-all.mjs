#!/usr/bin/env node
// `npm test`: build, typecheck, lint, unit tests, the .vsix (package + install check), then the suite
// inside a real VS Code. Stops at the first failing step. The last line is the plain
// "N passed, N failed" over the unit tests, the .vsix check and the VS Code suite (a step that fails
// without counting its tests counts as one failure).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { install, isInstalled } from './install-code-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const eslintConfigs = ['eslint.config.js', 'eslint.config.mjs', 'eslint.config.cjs', 'eslint.config.ts', '.eslintrc', '.eslintrc.js', '.eslintrc.cjs', '.eslintrc.json', '.eslintrc.yml', '.eslintrc.yaml'];
const hasEslintConfig = eslintConfigs.some((file) => fs.existsSync(path.join(root, file)));

/** Counts from mocha's spec reporter ("12 passing", "1 failing") or from a plain "N passed, N failed" line. */
function mochaCounts(out) {
  const num = (re) => Number(re.exec(out)?.[1] ?? 0);
  if (!/^\s*\d+ passing/m.test(out)) return undefined;
  return { passed: num(/^\s*(\d+) passing/m), failed: num(/^\s*(\d+) failing/m) };
}
function plainCounts(out) {
  const lines = [...out.matchAll(/^(\d+) passed, (\d+) failed\s*$/gm)];
  const last = lines.at(-1);
  return last ? { passed: Number(last[1]), failed: Number(last[2]) } : undefined;
}

// Tests own their fixtures: `ferry` children started by the tests keep their code cache (bin/bundleCache.js)
// in a folder of this run, not in the user's ~/.cache/ferry; removed when the run ends.
const ownCache = !process.env.FERRY_CACHE_DIR;
if (ownCache) process.env.FERRY_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-test-cache-'));
process.on('exit', () => {
  if (ownCache) fs.rmSync(process.env.FERRY_CACHE_DIR, { recursive: true, force: true });
});

const steps = [
  { name: 'Debian packages', cmd: 'bash', args: [path.join(root, 'scripts', 'install-debian-packages.sh')] },
  { name: 'build', cmd: 'npm', args: ['run', 'build'] },
  { name: 'typecheck', cmd: 'npm', args: ['run', 'typecheck'] },
  { name: 'plan reference up to date', cmd: process.execPath, args: [path.join(root, 'scripts', 'plan-reference.mjs'), '--check'] },
  { name: 'compiled schema validator up to date', cmd: process.execPath, args: [path.join(root, 'scripts', 'compile-schema.mjs'), '--check'] },
  hasEslintConfig ? { name: 'lint', cmd: 'npm', args: ['run', 'lint'] } : { name: 'lint', skip: 'no eslint config' },
  { name: 'unit tests', cmd: 'npm', args: ['run', 'test:unit'], counts: mochaCounts },
  { name: 'integration tests (Maildir, Dovecot)', cmd: 'npm', args: ['run', 'test:integration'], counts: mochaCounts },
  isInstalled() ? { name: 'install code-server', skip: 'already installed' } : { name: 'install code-server', run: () => install() },
  { name: 'package', cmd: 'npm', args: ['run', 'package'] },
  { name: 'vsix install check', cmd: process.execPath, args: [path.join(root, 'scripts', 'check-vsix.mjs')], counts: plainCounts },
  { name: 'VS Code tests', cmd: 'npm', args: ['run', 'test:vscode'], counts: plainCounts },
  { name: 'UI tests (Playwright on the workbench)', cmd: 'npm', args: ['run', 'test:ui'], counts: plainCounts },
];

function runCommand(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk) => {
      out += chunk;
      process.stdout.write(chunk);
    });
    child.stderr.on('data', (chunk) => process.stderr.write(chunk));
    child.on('error', (error) => {
      console.error(error.message);
      resolve({ code: 1, out });
    });
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), out }));
  });
}

const startedAll = Date.now();
const summary = [];
const totals = { passed: 0, failed: 0 };
let failedStep;
for (const [i, step] of steps.entries()) {
  const header = `== [${i + 1}/${steps.length}] ${step.name}`;
  if (step.skip) {
    console.log(`${header}: skipped (${step.skip})`);
    summary.push({ name: step.name, status: 'skipped', seconds: 0 });
    continue;
  }
  console.log(`${header}${step.cmd ? `: ${path.basename(step.cmd)} ${step.args.map((a) => path.isAbsolute(a) ? path.relative(root, a) : a).join(' ')}` : ''}`);
  const started = Date.now();
  let code = 0;
  let out = '';
  if (step.run) {
    try {
      await step.run();
    } catch (error) {
      console.error(error.message);
      code = 1;
    }
  } else {
    ({ code, out } = await runCommand(step.cmd, step.args));
  }
  const seconds = (Date.now() - started) / 1000;
  const counts = step.counts?.(out);
  if (counts) {
    totals.passed += counts.passed;
    totals.failed += counts.failed;
  }
  if (code !== 0 && !counts?.failed) totals.failed += 1;
  const status = code === 0 ? 'ok' : 'FAILED';
  console.log(`-- ${step.name}: ${status} in ${seconds.toFixed(1)} s${counts ? ` (${counts.passed} passed, ${counts.failed} failed)` : ''}`);
  summary.push({ name: step.name, status, seconds, counts });
  if (code !== 0) {
    failedStep = step.name;
    break;
  }
}

console.log('\n== summary');
for (const { name, status, seconds, counts } of summary) {
  console.log(`  ${status.padEnd(8)} ${name.padEnd(22)} ${seconds.toFixed(1).padStart(7)} s${counts ? `  ${counts.passed} passed, ${counts.failed} failed` : ''}`);
}
for (const step of steps.slice(summary.length)) console.log(`  ${'not run'.padEnd(8)} ${step.name}`);
console.log(`  total ${((Date.now() - startedAll) / 1000).toFixed(1)} s${failedStep ? `; stopped at: ${failedStep}` : ''}`);
console.log(`${totals.passed} passed, ${totals.failed} failed`);
process.exit(failedStep ? 1 : 0);
