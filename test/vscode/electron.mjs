#!/usr/bin/env node
// The VS Code integration suite under @vscode/test-electron, in a desktop VS Code: the one named by
// VSCODE_EXECUTABLE_PATH, or else one it downloads (needs internet; VSCODE_VERSION picks it,
// default stable). Without either it says so and exits 0 ("skipped"). On Linux without a display,
// run it under xvfb-run. The offline launcher used by `npm test` is test/vscode/launch.mjs.
//   VSCODE_EXECUTABLE_PATH=/path/to/code node test/vscode/electron.mjs [--grep PATTERN] [--order reverse|shuffle[:SEED]]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const { values: opts } = parseArgs({ options: { grep: { type: 'string' }, workspace: { type: 'string' }, order: { type: 'string' } } });
const extensionTestsPath = path.join(root, 'out', 'test', 'vscode', 'suite', 'index.js');
if (!fs.existsSync(extensionTestsPath)) {
  console.error(`${extensionTestsPath} is missing: run node scripts/build-tests.mjs first`);
  process.exit(1);
}

let vscodeExecutablePath = process.env.VSCODE_EXECUTABLE_PATH;
if (!vscodeExecutablePath) {
  try {
    vscodeExecutablePath = await downloadAndUnzipVSCode({ version: process.env.VSCODE_VERSION || 'stable', timeout: 15_000 });
  } catch (error) {
    console.log(`skipped: no desktop VS Code (set VSCODE_EXECUTABLE_PATH to a local one) and the download failed: ${error.message}`);
    process.exit(0);
  }
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-electron-'));
const workspace = path.join(tmp, 'workspace');
fs.cpSync(path.resolve(opts.workspace ?? path.join(root, 'test', 'vscode', 'fixtures', 'workspace')), workspace, { recursive: true });
const resultFile = path.join(tmp, 'result.json');
let exitCode = 1;
try {
  await runTests({
    vscodeExecutablePath,
    extensionDevelopmentPath: root,
    extensionTestsPath,
    extensionTestsEnv: { FERRY_TEST_RESULT: resultFile, ...(opts.grep ? { FERRY_TEST_GREP: opts.grep } : {}), ...(opts.order ? { FERRY_TEST_ORDER: opts.order } : {}) },
    launchArgs: [workspace, '--disable-extensions', '--user-data-dir', path.join(tmp, 'user-data')],
  });
  exitCode = 0;
} catch (error) {
  console.error(`VS Code tests failed: ${error.message}`);
}
const result = fs.existsSync(resultFile) ? JSON.parse(fs.readFileSync(resultFile, 'utf8')) : { passed: 0, failed: 1 };
fs.rmSync(tmp, { recursive: true, force: true });
const failed = result.failed + (result.error ? 1 : 0);
console.log(`${result.passed} passed, ${failed} failed`);
process.exit(exitCode === 0 && failed === 0 && result.passed > 0 ? 0 : 1);
