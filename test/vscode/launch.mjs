#!/usr/bin/env node
// Runs the VS Code integration suite inside a real VS Code, offline: code-server's VS Code server
// (installed by scripts/install-code-server.mjs) with its workbench in headless Chromium driven by
// playwright-core. See ../shared/docs/testing-in-real-vscode.md.
//
// Usage: node test/vscode/launch.mjs [--workspace DIR] [--grep PATTERN] [--keep-screens DIR]
//                                    [--timeout SECONDS] [--extension DIR] [--tests FILE]
//   --workspace DIR     folder to open (copied to a temp folder first); default test/vscode/fixtures/workspace
//   --grep PATTERN      only the tests whose full title matches (mocha grep)
//   --keep-screens DIR  save a screenshot of the workbench at the end into DIR
//   --timeout SECONDS   how long the suite may take (default 600, or $FERRY_VSCODE_TIMEOUT)
//   --extension DIR     extension under development (default: the repository root)
//   --tests FILE        compiled test entry (default: out/test/vscode/suite/index.js)
// The last line printed is "N passed, N failed"; the exit code is non-zero on a failure, a timeout
// or a run of zero tests. Screenshots of failures go to test-results/vscode/.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { CODE_SERVER_VERSION, codeServerEntry, codeServerEnv, install, isInstalled, node22 } from '../../scripts/install-code-server.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = path.join(root, 'test-results', 'vscode');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

const { values: opts } = parseArgs({
  options: {
    workspace: { type: 'string' },
    grep: { type: 'string' },
    'keep-screens': { type: 'string' },
    timeout: { type: 'string' },
    extension: { type: 'string' },
    tests: { type: 'string' },
  },
});
const timeoutSeconds = Number(opts.timeout ?? process.env.FERRY_VSCODE_TIMEOUT ?? 600);
const extensionPath = path.resolve(opts.extension ?? root);
const testsEntry = path.resolve(opts.tests ?? path.join(root, 'out', 'test', 'vscode', 'suite', 'index.js'));
const sourceWorkspace = path.resolve(opts.workspace ?? path.join(root, 'test', 'vscode', 'fixtures', 'workspace'));

const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
const log = (message) => console.log(`[vscode] ${message}`);

let server; // code-server child (leader of its own process group)
let browser;
let page;
let tmp;
let cleaningUp;
let extensionHostExitedAt;
const browserErrors = [];

function killServerGroup(signal) {
  if (!server?.pid) return;
  try {
    process.kill(-server.pid, signal);
  } catch {
    // already gone
  }
}

async function cleanup() {
  cleaningUp ??= (async () => {
    if (browser) await browser.close().catch(() => {});
    if (server?.pid && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server.once('exit', resolve));
      killServerGroup('SIGTERM');
      const timer = setTimeout(() => killServerGroup('SIGKILL'), 5000);
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 7000))]);
      clearTimeout(timer);
    }
    killServerGroup('SIGKILL'); // whatever the group still holds (extension host, pty host, ...)
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  })();
  return cleaningUp;
}

// Never leave code-server behind: on Ctrl-C, on kill, and as a last resort at exit.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    console.error(`[vscode] ${signal}: stopping code-server and the browser`);
    cleanup().finally(() => process.exit(130));
  });
}
process.on('exit', () => killServerGroup('SIGKILL'));

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

async function waitForListening(port, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`code-server exited early (${server.exitCode ?? server.signalCode})`);
    try {
      const response = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (response.ok) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`code-server did not listen on port ${port} within ${timeoutMs / 1000} s`);
}

let screenshots = 0;
async function screenshot(file) {
  if (!page) return;
  screenshots++;
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, timeout: 15_000 });
    log(`screenshot: ${path.relative(process.cwd(), file)}`);
  } catch (error) {
    log(`screenshot failed: ${error.message}`);
  }
}

function indent(text, prefix) {
  return String(text).split('\n').map((line) => prefix + line).join('\n');
}

function report(result) {
  console.log('');
  console.log(`VS Code ${result.vscodeVersion ?? '?'}: ${result.files?.length ?? 0} test file(s)${result.grep ? `, grep /${result.grep}/` : ''}`);
  let currentFile;
  for (const test of result.tests) {
    if (test.file !== currentFile) {
      currentFile = test.file;
      console.log(`  ${currentFile ?? '(unknown file)'}`);
    }
    const mark = test.state === 'passed' ? 'ok  ' : test.state === 'failed' ? 'FAIL' : 'skip';
    console.log(`    ${mark} ${test.fullTitle}${test.durationMs !== undefined ? ` (${test.durationMs} ms)` : ''}`);
    for (const line of test.output ?? []) console.log(indent(line, '         | '));
  }
  const failures = result.tests.filter((t) => t.state === 'failed');
  if (failures.length) {
    console.log('\nFailures:');
    failures.forEach((test, i) => {
      console.log(`  ${i + 1}) ${test.fullTitle}`);
      console.log(indent(test.error?.stack || test.error?.message || '(no error)', '       '));
    });
  }
  if (result.error) console.log(`\nThe suite could not run: ${result.error.stack || result.error.message}`);
  if (result.pending) console.log(`${result.pending} pending`);
  console.log(`suite ran in ${(result.durationMs / 1000).toFixed(1)} s`);
}

async function main() {
  if (!fs.existsSync(testsEntry)) throw new Error(`${testsEntry} is missing: run node scripts/build-tests.mjs first`);
  if (!fs.existsSync(path.join(extensionPath, 'package.json'))) throw new Error(`no extension at ${extensionPath}`);
  if (opts.extension === undefined && !fs.existsSync(path.join(root, 'dist', 'extension.js'))) {
    log('warning: dist/extension.js is missing (run npm run build); the extension cannot activate');
  }
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  if (!isInstalled()) {
    log('code-server is not installed yet: installing it');
    install();
  }

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-vscode-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(sourceWorkspace, workspace, { recursive: true });
  const resultFile = path.join(tmp, 'result.json');
  const serverLog = path.join(resultsDir, 'code-server.log');
  fs.mkdirSync(resultsDir, { recursive: true });
  const port = await freePort();

  const env = codeServerEnv(process.env, path.join(tmp, 'home'));
  env.FERRY_TEST_RESULT = resultFile;
  if (opts.grep) env.FERRY_TEST_GREP = opts.grep;
  else delete env.FERRY_TEST_GREP;
  delete env.ELECTRON_RUN_AS_NODE;

  const args = [
    codeServerEntry,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', path.join(tmp, 'user-data'),
    '--extensions-dir', path.join(tmp, 'extensions'),
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    workspace,
  ];
  // Quieter workbench: no gallery look-ups (there is no network), no welcome page, no chat panel.
  const settingsFile = path.join(tmp, 'user-data', 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify({
    'extensions.autoCheckUpdates': false,
    'extensions.autoUpdate': false,
    'extensions.ignoreRecommendations': true,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'chat.disableAIFeatures': true,
  }, null, 2));

  const logStream = fs.createWriteStream(serverLog);
  server = spawn(node22, args, { cwd: tmp, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [server.stdout, server.stderr]) {
    stream.on('data', (chunk) => {
      logStream.write(chunk);
      // In test mode the extension host exits once run() settles, also when the test entry failed
      // to load (then with code 0 and no result), so this ends the wait early.
      if (/Extension Host Process exited/.test(chunk.toString())) extensionHostExitedAt ??= Date.now();
    });
  }
  await waitForListening(port, 60_000);
  log(`code-server ${CODE_SERVER_VERSION} listening on 127.0.0.1:${port} (pid ${server.pid}) after ${seconds()}`);

  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    env: { ...process.env, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME, XDG_CACHE_HOME: env.XDG_CACHE_HOME },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  const browserLog = fs.createWriteStream(path.join(resultsDir, 'browser-console.log'));
  page.on('console', (msg) => {
    browserLog.write(`[${msg.type()}] ${msg.text()}\n`);
    if (msg.type() === 'error' && !/open-vsx|gallery|ENOTFOUND|marketplace|Failed to load resource/i.test(msg.text())) browserErrors.push(msg.text());
  });
  page.on('pageerror', (error) => browserLog.write(`[pageerror] ${error.stack || error.message}\n`));

  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(extensionPath)],
    ['extensionTestsPath', remote(testsEntry)],
  ];
  const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 60_000 });
  log(`workbench opened in Chromium after ${seconds()}; waiting for the suite (timeout ${timeoutSeconds} s)`);

  const deadline = Date.now() + timeoutSeconds * 1000;
  let nextNote = Date.now() + 60_000;
  while (!fs.existsSync(resultFile)) {
    if (server.exitCode !== null || server.signalCode !== null) throw new Error(`code-server exited (${server.exitCode ?? server.signalCode}) before the suite finished; see ${path.relative(process.cwd(), serverLog)}`);
    if (extensionHostExitedAt && Date.now() - extensionHostExitedAt > 5000 && !fs.existsSync(resultFile)) {
      await screenshot(path.join(resultsDir, 'no-result.png'));
      const errors = browserErrors.slice(-10).map((e) => indent(e, '    ')).join('\n');
      throw new Error(`the extension host exited without a result: the test entry failed to load or crashed.\nErrors seen in the workbench:\n${errors || '    (none)'}`);
    }
    if (Date.now() > deadline) {
      await screenshot(path.join(resultsDir, 'timeout.png'));
      throw new Error(`the suite wrote no result within ${timeoutSeconds} s; see ${path.relative(process.cwd(), serverLog)} and browser-console.log`);
    }
    if (Date.now() > nextNote) {
      log(`still waiting (${seconds()})`);
      nextNote += 60_000;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
  report(result);

  const failed = result.failed + (result.error ? 1 : 0);
  if (failed > 0) await screenshot(path.join(resultsDir, `failure-${new Date().toISOString().replace(/[:.]/g, '-')}.png`));
  if (opts['keep-screens']) await screenshot(path.join(path.resolve(opts['keep-screens']), 'workbench-end.png'));
  return { passed: result.passed, failed, ran: result.tests.length };
}

let exitCode = 1;
let counts = { passed: 0, failed: 1 };
try {
  const { passed, failed, ran } = await main();
  counts = { passed, failed };
  if (ran === 0) log('no test ran');
  exitCode = failed === 0 && passed > 0 ? 0 : 1;
} catch (error) {
  console.error(`[vscode] ERROR: ${error.stack || error.message}`);
  if (screenshots === 0) await screenshot(path.join(resultsDir, 'error.png'));
}
await cleanup();
log(`total ${seconds()}`);
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(exitCode);
