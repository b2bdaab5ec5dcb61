#!/usr/bin/env node
// Runs the VS Code integration suite inside a real VS Code, offline: code-server's VS Code server
// (installed by scripts/install-code-server.mjs) with its workbench in headless Chromium driven by
// playwright-core. See ../shared/docs/testing-in-real-vscode.md.
//
// Usage: node test/vscode/launch.mjs [--workspace DIR] [--grep PATTERN] [--keep-screens DIR]
//                                    [--timeout SECONDS] [--extension DIR] [--tests FILE]
//                                    [--order reverse|shuffle|shuffle:SEED]
//   --workspace DIR     folder to open (copied to a temp folder first); default test/vscode/fixtures/workspace
//   --grep PATTERN      only the tests whose full title matches (mocha grep)
//   --keep-screens DIR  save a screenshot of the workbench at the end into DIR
//   --timeout SECONDS   how long the suite may take (default 600, or $FERRY_VSCODE_TIMEOUT)
//   --extension DIR     extension under development (default: the repository root)
//   --tests FILE        compiled test entry (default: out/test/vscode/suite/index.js)
//   --order ORDER       run files, describes and tests reversed or shuffled (the seed is printed;
//                       shuffle:SEED repeats an order); default as written, or $FERRY_TEST_ORDER
// The last line printed is "N passed, N failed"; the exit code is non-zero on a failure, a timeout
// or a run of zero tests. Screenshots of failures go to test-results/vscode/.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CODE_SERVER_VERSION, ensureCodeServer, killGroup, launchBrowser, startCodeServer, stopAll, workbenchUrl } from './codeServer.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const resultsDir = path.join(root, 'test-results', 'vscode');

const { values: opts } = parseArgs({
  options: {
    workspace: { type: 'string' },
    grep: { type: 'string' },
    'keep-screens': { type: 'string' },
    timeout: { type: 'string' },
    extension: { type: 'string' },
    tests: { type: 'string' },
    order: { type: 'string' },
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

async function cleanup() {
  cleaningUp ??= (async () => {
    await stopAll({ browser, server });
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
process.on('exit', () => killGroup(server));

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
  console.log(`VS Code ${result.vscodeVersion ?? '?'}: ${result.files?.length ?? 0} test file(s)${result.grep ? `, grep /${result.grep}/` : ''}${result.order && result.order !== 'as written' ? `, order ${result.order}` : ''}`);
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
  ensureCodeServer(log);

  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-vscode-'));
  const workspace = path.join(tmp, 'workspace');
  fs.cpSync(sourceWorkspace, workspace, { recursive: true });
  const resultFile = path.join(tmp, 'result.json');
  const serverLog = path.join(resultsDir, 'code-server.log');
  fs.mkdirSync(resultsDir, { recursive: true });

  // An undefined value unsets the variable: a grep left in the caller's environment must not leak in.
  const testEnv = { FERRY_TEST_RESULT: resultFile, FERRY_TEST_GREP: opts.grep || undefined, FERRY_TEST_ORDER: opts.order ?? process.env.FERRY_TEST_ORDER ?? undefined };
  const started = await startCodeServer({
    tmp,
    workspace,
    serverLog,
    env: testEnv,
    // In test mode the extension host exits once run() settles, also when the test entry failed
    // to load (then with code 0 and no result), so this ends the wait early.
    onOutput: (text) => {
      if (/Extension Host Process exited/.test(text)) extensionHostExitedAt ??= Date.now();
    },
  });
  server = started.server;
  const { port, env } = started;
  log(`code-server ${CODE_SERVER_VERSION} listening on 127.0.0.1:${port} (pid ${server.pid}) after ${seconds()}`);

  ({ browser, page } = await launchBrowser(env));
  const browserLog = fs.createWriteStream(path.join(resultsDir, 'browser-console.log'));
  page.on('console', (msg) => {
    browserLog.write(`[${msg.type()}] ${msg.text()}\n`);
    if (msg.type() === 'error' && !/open-vsx|gallery|ENOTFOUND|marketplace|Failed to load resource/i.test(msg.text())) browserErrors.push(msg.text());
  });
  page.on('pageerror', (error) => browserLog.write(`[pageerror] ${error.stack || error.message}\n`));

  const url = workbenchUrl(port, workspace, [
    ['extensionDevelopmentPath', extensionPath],
    ['extensionTestsPath', testsEntry],
  ]);
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
