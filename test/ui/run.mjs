#!/usr/bin/env node
// `npm run test:ui`: Playwright drives code-server's VS Code workbench in headless Chromium on a
// copy of the demo project (plus one mailbox without a Maildir, so a run error shows): it opens
// the Ferry view, runs a full pass from the command palette, reads the tree, the run diagnostic's
// quick fixes and the dashboard, and saves screenshots in the light and dark themes to
// test-results/ui/*.png. The last line is "N passed, N failed".
//   node test/ui/run.mjs [--keep]   (--keep leaves the temporary workspace)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureCodeServer, killGroup, launchBrowser, startCodeServer, stopAll, workbenchUrl } from '../vscode/codeServer.mjs';
import { demoWorkspace } from './demoWorkspace.mjs';
import { uiChecks } from './checks.mjs';
import { reloadCheck } from './reload.mjs';
import { welcomeCheck } from './welcome.mjs';
import { Workbench } from './workbench.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const shots = path.join(root, 'test-results', 'ui');
const started = Date.now();
const log = (m) => console.log(`[ui] ${m} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
let running = {};
process.on('exit', () => killGroup(running.server));
for (const signal of ['SIGINT', 'SIGTERM']) process.once(signal, () => stopAll(running).finally(() => process.exit(130)));

async function main() {
  if (!fs.existsSync(path.join(root, 'dist', 'extension.js')) || !fs.existsSync(path.join(root, 'dist', 'dashboard.js'))) throw new Error('dist/ is not built: run npm run build first');
  ensureCodeServer(log);
  fs.rmSync(shots, { recursive: true, force: true });
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ui-'));
  const workspace = demoWorkspace(root, path.join(tmp, 'workspace'));
  const { server, port, env } = await startCodeServer({ tmp, workspace, serverLog: path.join(shots, 'code-server.log'), settings: { 'workbench.colorTheme': 'Default Light Modern', 'window.commandCenter': false, 'workbench.secondarySideBar.defaultVisibility': 'hidden' } });
  running.server = server;
  log(`code-server on 127.0.0.1:${port}`);
  const { browser, page } = await launchBrowser(env, { width: 1500, height: 1000 });
  running.browser = browser;
  await page.goto(workbenchUrl(port, workspace, [['extensionDevelopmentPath', root]]), { waitUntil: 'domcontentloaded', timeout: 60_000 });
  const wb = new Workbench(page, { shots });
  await wb.ready();
  log('workbench ready');

  const results = [];
  const checks = [{ name: 'a folder without plans shows the welcome content', run: welcomeCheck(browser, { port, root, tmp, shots }) }, ...uiChecks(wb, { reload: reloadCheck(wb, root, workspace) })];
  for (const check of checks) {
    const t = Date.now();
    try {
      await check.run();
      results.push({ name: check.name, ok: true, ms: Date.now() - t });
      console.log(`ok   ${check.name} (${Date.now() - t} ms)`);
    } catch (error) {
      results.push({ name: check.name, ok: false, ms: Date.now() - t });
      console.log(`FAIL ${check.name}\n     ${String(error.stack || error.message).split('\n').slice(0, 6).join('\n     ')}`);
      await wb.shot(`failure-${results.length}`).catch(() => {});
      printFerryLog(tmp);
      break; // the checks build on each other
    }
  }
  for (const f of fs.readdirSync(shots).filter((f) => f.endsWith('.png'))) log(`screenshot: test-results/ui/${f}`);
  await stopAll(running);
  if (!process.argv.includes('--keep')) fs.rmSync(tmp, { recursive: true, force: true });
  else log(`workspace kept in ${workspace}`);
  return results;
}

/** On a failure: the end of the extension's Ferry log (what the runner and the store reads said). */
function printFerryLog(tmp) {
  const found = [];
  const walk = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (/Ferry\.log$/.test(e.name)) found.push(p);
    }
  };
  try {
    walk(path.join(tmp, 'user-data', 'logs'));
  } catch {
    return;
  }
  for (const file of found) {
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    console.log(`     -- the last ${Math.min(40, lines.length)} lines of ${path.relative(tmp, file)}\n     ${lines.slice(-40).join('\n     ')}`);
  }
}

let results = [];
try {
  results = await main();
} catch (error) {
  console.error(`[ui] ERROR: ${error.stack || error.message}`);
  results.push({ name: 'setup', ok: false });
  await stopAll(running);
}
const passed = results.filter((r) => r.ok).length;
const failed = results.length - passed;
log('done');
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed === 0 && passed > 0 ? 0 : 1);
