// What the VS Code suite (launch.mjs) and the UI test (test/ui/) share: code-server's VS Code in
// its own process group with quiet settings, headless Chromium through playwright-core, the
// workbench URL for a folder with the extension under development, and a clean stop.
// See ../shared/docs/testing-in-real-vscode.md.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { CODE_SERVER_VERSION, codeServerEntry, codeServerEnv, install, isInstalled, node22 } from '../../scripts/install-code-server.mjs';

export { CODE_SERVER_VERSION };
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Quieter workbench: no gallery look-ups (there is no network), no welcome page, no chat panel. */
export const quietSettings = {
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'chat.disableAIFeatures': true,
};

export function freePort() {
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

export function ensureCodeServer(log) {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: apt-get install -y chromium`);
  if (!isInstalled()) {
    log('code-server is not installed yet: installing it');
    install();
  }
}

/**
 * Starts code-server on a free port for `workspace`, with user data under `tmp`. Its output goes
 * to `serverLog`; `onOutput` sees every chunk. `env` adds variables (undefined removes one). Returns the child (leader of its own process group).
 */
export async function startCodeServer({ tmp, workspace, serverLog, env: extraEnv = {}, settings = {}, onOutput = () => {} }) {
  const port = await freePort();
  const env = codeServerEnv(process.env, path.join(tmp, 'home'));
  for (const [key, value] of Object.entries(extraEnv)) {
    if (value === undefined) delete env[key];
    else env[key] = value;
  }
  delete env.ELECTRON_RUN_AS_NODE;
  const settingsFile = path.join(tmp, 'user-data', 'User', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify({ ...quietSettings, ...settings }, null, 2));
  const args = [codeServerEntry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--user-data-dir', path.join(tmp, 'user-data'), '--extensions-dir', path.join(tmp, 'extensions'), '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', workspace];
  fs.mkdirSync(path.dirname(serverLog), { recursive: true });
  const logStream = fs.createWriteStream(serverLog);
  const server = spawn(node22, args, { cwd: tmp, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  for (const stream of [server.stdout, server.stderr]) {
    stream.on('data', (chunk) => {
      logStream.write(chunk);
      onOutput(chunk.toString());
    });
  }
  try {
    await waitForListening(server, port, 60_000);
  } catch (error) {
    killGroup(server);
    throw error;
  }
  return { server, port, env, settingsFile };
}

async function waitForListening(server, port, timeoutMs) {
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

/** The workbench URL of a folder; `payload` entries are [name, absolute path] pairs (vscode-remote URIs). */
export function workbenchUrl(port, folder, payload = []) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const pairs = payload.map(([name, p]) => [name, remote(p)]);
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}${pairs.length ? `&payload=${encodeURIComponent(JSON.stringify(pairs))}` : ''}`;
}

export async function launchBrowser(env, viewport = { width: 1600, height: 1000 }) {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_FLAGS,
    env: { ...process.env, XDG_CONFIG_HOME: env.XDG_CONFIG_HOME, XDG_CACHE_HOME: env.XDG_CACHE_HOME },
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
  const page = await browser.newPage({ viewport });
  return { browser, page };
}

/** Stops the browser and code-server's whole process group (TERM, then KILL after 5 s). */
export async function stopAll({ browser, server }) {
  if (browser) await browser.close().catch(() => {});
  const kill = (signal) => {
    if (!server?.pid) return;
    try {
      process.kill(-server.pid, signal);
    } catch {
      // already gone
    }
  };
  if (server?.pid && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((resolve) => server.once('exit', resolve));
    kill('SIGTERM');
    const timer = setTimeout(() => kill('SIGKILL'), 5000);
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 7000))]);
    clearTimeout(timer);
  }
  kill('SIGKILL'); // whatever the group still holds (extension host, pty host, ...)
}

/** Kills the group at once: for exit handlers, which cannot wait. */
export function killGroup(server) {
  if (!server?.pid) return;
  try {
    process.kill(-server.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}
