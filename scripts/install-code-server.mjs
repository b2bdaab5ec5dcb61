#!/usr/bin/env node
// Installs code-server (a real VS Code server + web workbench, see
// ../shared/docs/testing-in-real-vscode.md) into .vscode-test/code-server-<version>/, offline except
// for the npm registry. Cached by version: a second run only checks a marker file.
//
// Usage: node scripts/install-code-server.mjs [--force]
//   FERRY_VSCODE_TEST_DIR=DIR puts the cache elsewhere (default .vscode-test/ in the repository), e.g.
//   to try a fresh install without touching the one the tests use.
//
// Traps handled here (each one was seen failing):
//  - code-server's postinstall insists on Node 22 (it reads npm's user agent): npm runs with the
//    repo's node_modules/.bin (the `node` package, Node 22) first on PATH. Under `npm run`, the
//    outer npm (the system's, Node 20) exports its own user agent as npm_config_user_agent, which
//    the inner npm would pass on as is ("node/v20"): that and the other variables an outer npm run
//    exports are dropped, so the inner npm describes itself.
//  - as root, its postinstall needs --unsafe-perm.
//  - node-pty's postinstall runs `npx node-gyp`: npm_config_yes=true (~/.npmrc may say yes=false).
//  - @vscode/ripgrep's postinstall downloads from GitHub: a tarball of Debian's /usr/bin/rg is put in
//    its download cache first.
//  - npm 11 blocks dependency install scripts unless approved. code-server's postinstall runs nested
//    `npm install`s in lib/vscode and lib/vscode/extensions, which are project-scoped installs: an
//    `allow-scripts` list given by flag, env or .npmrc is exported to them as npm_config_allow_scripts
//    and then rejected there (EALLOWSCRIPTS), and a package.json `allowScripts` only covers the top
//    level. The one setting that reaches every level is dangerously-allow-all-scripts; it is used
//    only for this pinned, shrinkwrapped tree, and the packages it lets run are printed.
//  - ~/.npmrc may set nodedir=/usr (Node 20 headers); native modules are built against the headers
//    that ship with the Node 22 package instead.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const CODE_SERVER_VERSION = '4.117.0';
/** Bump when this script installs differently, so that cached installs are redone. */
const INSTALL_REVISION = 2;
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cacheDir = process.env.FERRY_VSCODE_TEST_DIR ? path.resolve(process.env.FERRY_VSCODE_TEST_DIR) : path.join(repoRoot, '.vscode-test');
export const codeServerDir = path.join(cacheDir, `code-server-${CODE_SERVER_VERSION}`);
const markerFile = path.join(codeServerDir, '.ferry-installed.json');
export const codeServerEntry = path.join(codeServerDir, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
export const node22 = path.join(repoRoot, 'node_modules', '.bin', 'node');

export function isInstalled() {
  try {
    const marker = JSON.parse(fs.readFileSync(markerFile, 'utf8'));
    return marker.version === CODE_SERVER_VERSION && marker.revision === INSTALL_REVISION && fs.existsSync(codeServerEntry);
  } catch {
    return false;
  }
}

/**
 * Environment for running code-server: its config and data go to a throwaway folder instead of
 * ~/.config/code-server (which it would otherwise create on first start).
 */
export function codeServerEnv(baseEnv = process.env, homeDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-cs-home-'))) {
  return {
    ...baseEnv,
    PATH: `${path.dirname(node22)}${path.delimiter}${baseEnv.PATH ?? ''}`,
    XDG_CONFIG_HOME: path.join(homeDir, 'config'),
    XDG_DATA_HOME: path.join(homeDir, 'data'),
    XDG_CACHE_HOME: path.join(homeDir, 'cache'),
  };
}

/** The first line of `code-server --version` that looks like a version, e.g. "4.117.0 ddeb0a3 with Code 1.117.0". */
export function codeServerVersion() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-cs-home-'));
  try {
    const out = capture(node22, [codeServerEntry, '--version'], { env: codeServerEnv(process.env, home) });
    return out.split('\n').find((line) => /^\d+\.\d+\.\d+ /.test(line)) ?? out.trim();
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
}

/** What an outer `npm run` exports about itself; an inner npm must compute these anew. */
const outerNpmVariables = /^npm_(config_user_agent|config_npm_version|config_node_gyp|config_local_prefix|node_execpath|execpath|command|package_.*|lifecycle_.*)$/;

/** The environment without what an outer `npm run` (maybe under the system's Node 20) exported about itself. */
function withoutOuterNpm(baseEnv) {
  return Object.fromEntries(Object.entries(baseEnv).filter(([key]) => !outerNpmVariables.test(key)));
}

function log(message) {
  console.log(`[install-code-server] ${message}`);
}

function run(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
  return result;
}

function capture(cmd, args, options = {}) {
  const result = spawnSync(cmd, args, { encoding: 'utf8', ...options });
  if (result.error) throw result.error;
  if (result.status !== 0) {
    throw new Error(`${cmd} ${args.join(' ')} exited with ${result.status}: ${result.stderr}`);
  }
  return result.stdout;
}

/** Fetches a registry package's tarball with `npm pack` and unpacks it; returns its folder. */
function unpackFromRegistry(spec, workDir, env) {
  const dir = fs.mkdtempSync(path.join(workDir, 'pack-'));
  const out = capture('npm', ['pack', spec, '--pack-destination', dir, '--json', '--loglevel=error'], { env, cwd: dir });
  const [{ filename }] = JSON.parse(out);
  run('tar', ['-xzf', path.join(dir, filename), '-C', dir]);
  return path.join(dir, 'package');
}

function nodeHeadersDir() {
  // The `node` npm package's preinstall fetches node-<os>-<arch>, which ships include/node. It is not
  // in package-lock.json, so a later `npm install <something>` prunes it (bin/node stays). Then fall
  // back to the system headers (Debian's Node 20): every native module here uses N-API, whose ABI
  // does not depend on the Node version (checked by loading them below).
  const candidates = [
    path.join(repoRoot, 'node_modules', 'node', 'node_modules', `node-${process.platform}-${process.arch}`),
    path.join(repoRoot, 'node_modules', `node-${process.platform}-${process.arch}`),
    '/usr',
  ];
  return candidates.find((dir) => fs.existsSync(path.join(dir, 'include', 'node', 'node.h')));
}

function ripgrepTarget() {
  if (process.platform !== 'linux') throw new Error(`unsupported platform ${process.platform}`);
  if (process.arch === 'x64') return 'x86_64-unknown-linux-musl';
  if (process.arch === 'arm64') return 'aarch64-unknown-linux-musl';
  throw new Error(`unsupported architecture ${process.arch}`);
}

function listInstallScripts(shrinkwrapFile) {
  if (!fs.existsSync(shrinkwrapFile)) return [];
  const lock = JSON.parse(fs.readFileSync(shrinkwrapFile, 'utf8'));
  return Object.entries(lock.packages ?? {})
    .filter(([key, meta]) => key !== '' && meta.hasInstallScript && !meta.dev)
    .map(([key, meta]) => `${key.replace(/^.*node_modules\//, '')}@${meta.version}`);
}

export function install({ force = false } = {}) {
  const started = Date.now();
  const elapsed = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

  if (!force && isInstalled()) {
    log(`code-server ${CODE_SERVER_VERSION} already installed in ${path.relative(repoRoot, codeServerDir)} (${elapsed()})`);
    return;
  }

  // Preconditions, with the fix spelled out.
  const nodeVersion = fs.existsSync(node22) ? capture(node22, ['--version']).trim() : '';
  if (!nodeVersion.startsWith('v22.')) {
    throw new Error(`need Node 22 at ${node22} (got '${nodeVersion || 'missing'}'); run npm ci first`);
  }
  const systemRg = '/usr/bin/rg';
  if (!fs.existsSync(systemRg)) throw new Error(`${systemRg} missing: apt-get install -y ripgrep`);
  for (const header of ['krb5.h', 'libsecret-1/libsecret/secret.h', 'X11/extensions/XKBfile.h', 'X11/Xlib.h']) {
    if (!fs.existsSync(path.join('/usr/include', header))) {
      throw new Error(`/usr/include/${header} missing: apt-get install -y libkrb5-dev libsecret-1-dev libxkbfile-dev libx11-dev`);
    }
  }

  const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-code-server-'));
  const headers = nodeHeadersDir();
  const env = {
    ...withoutOuterNpm(process.env),
    PATH: `${path.dirname(node22)}${path.delimiter}${process.env.PATH ?? ''}`,
    TMPDIR: workDir,
    npm_config_yes: 'true',
    npm_config_unsafe_perm: 'true',
    npm_config_foreground_scripts: 'true',
    npm_config_dangerously_allow_all_scripts: 'true',
    npm_config_update_notifier: 'false',
    npm_config_audit: 'false',
    npm_config_fund: 'false',
    ...(headers ? { npm_config_nodedir: headers } : {}),
  };
  log(`native modules build against the Node headers in ${headers ?? "node-gyp's default (a download: fails offline)"}`);

  try {
    log(`installing code-server ${CODE_SERVER_VERSION} with Node ${nodeVersion}, npm ${capture('npm', ['--version'], { env }).trim()}`);

    // 1. Read the ripgrep versions from the packages themselves.
    const csPackage = unpackFromRegistry(`code-server@${CODE_SERVER_VERSION}`, workDir, env);
    const vscodeShrinkwrap = path.join(csPackage, 'lib', 'vscode', 'npm-shrinkwrap.json');
    const vscodeLock = JSON.parse(fs.readFileSync(vscodeShrinkwrap, 'utf8'));
    const rgPackageVersion = vscodeLock.packages?.['node_modules/@vscode/ripgrep']?.version;
    if (!rgPackageVersion) throw new Error(`@vscode/ripgrep not found in ${vscodeShrinkwrap}`);
    const rgPackage = unpackFromRegistry(`@vscode/ripgrep@${rgPackageVersion}`, workDir, env);
    const postinstall = fs.readFileSync(path.join(rgPackage, 'lib', 'postinstall.js'), 'utf8');
    const rgVersion = /const VERSION = '([^']+)'/.exec(postinstall)?.[1];
    if (!rgVersion) throw new Error('VERSION constant not found in @vscode/ripgrep lib/postinstall.js');

    // 2. Seed @vscode/ripgrep's download cache with Debian's rg.
    const cacheDir = path.join(workDir, `vscode-ripgrep-cache-${rgPackageVersion}`);
    const staging = path.join(workDir, 'rg-staging');
    fs.mkdirSync(cacheDir, { recursive: true });
    fs.mkdirSync(staging, { recursive: true });
    fs.copyFileSync(systemRg, path.join(staging, 'rg'));
    fs.chmodSync(path.join(staging, 'rg'), 0o755);
    const tarball = path.join(cacheDir, `ripgrep-${rgVersion}-${ripgrepTarget()}.tar.gz`);
    run('tar', ['-czf', tarball, '-C', staging, 'rg']);
    log(`@vscode/ripgrep ${rgPackageVersion} (rg ${rgVersion}) will use ${systemRg} via ${tarball}`);

    const scripted = [
      `code-server@${CODE_SERVER_VERSION}`,
      ...listInstallScripts(path.join(csPackage, 'npm-shrinkwrap.json')),
      ...listInstallScripts(vscodeShrinkwrap),
      ...listInstallScripts(path.join(csPackage, 'lib', 'vscode', 'extensions', 'npm-shrinkwrap.json')),
    ];
    log(`install scripts that will run: ${[...new Set(scripted)].join(', ')}`);

    // 3. Install into a folder of its own.
    fs.rmSync(codeServerDir, { recursive: true, force: true });
    fs.mkdirSync(codeServerDir, { recursive: true });
    fs.writeFileSync(
      path.join(codeServerDir, 'package.json'),
      JSON.stringify({ name: 'ferry-code-server', private: true, description: 'test-only VS Code, see scripts/install-code-server.mjs' }, null, 2) + '\n',
    );
    run('npm', ['install', `code-server@${CODE_SERVER_VERSION}`, '--unsafe-perm', '--foreground-scripts', '--omit=dev', '--no-audit', '--no-fund'], {
      cwd: codeServerDir,
      env,
    });

    // 4. The npm package of code-server 4.117.0 leaves out the built-in git extension's one external
    //    (native) dependency, so vscode.git fails to activate ("Cannot find module
    //    '@vscode/fs-copyfile'"). Its bundle names the version it wants: install that beside it.
    const gitDir = path.join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode', 'extensions', 'git');
    const gitMain = path.join(gitDir, 'dist', 'main.js');
    const copyfileVersion = fs.existsSync(gitMain) ? /"@vscode\/fs-copyfile":"([^"]+)"/.exec(fs.readFileSync(gitMain, 'utf8'))?.[1] : undefined;
    if (copyfileVersion && !fs.existsSync(path.join(gitDir, 'node_modules', '@vscode', 'fs-copyfile'))) {
      log(`adding @vscode/fs-copyfile@${copyfileVersion} that the built-in git extension needs`);
      run('npm', ['install', `@vscode/fs-copyfile@${copyfileVersion}`, '--no-save', '--no-package-lock', '--unsafe-perm', '--foreground-scripts', '--no-audit', '--no-fund'], { cwd: gitDir, env });
    }

    // 5. Check it.
    const ripgrepBin = path.join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules', '@vscode', 'ripgrep', 'bin', 'rg');
    if (!fs.existsSync(ripgrepBin)) throw new Error(`${ripgrepBin} missing: the ripgrep cache was not used`);
    const vscodeModules = path.join(codeServerDir, 'node_modules', 'code-server', 'lib', 'vscode', 'node_modules');
    const natives = ['node-pty', '@vscode/spdlog', '@vscode/sqlite3', 'kerberos', '@parcel/watcher', '@vscode/native-watchdog'].map((m) => path.join(vscodeModules, m));
    if (copyfileVersion) natives.push(path.join(gitDir, 'node_modules', '@vscode', 'fs-copyfile'));
    const loadCheck = `for (const m of ${JSON.stringify(natives)}) require(m);`;
    capture(node22, ['-e', loadCheck], { env });
    log(`native modules load under Node 22: ${natives.map((m) => path.relative(codeServerDir, m).replace(/^.*node_modules\//, '')).join(', ')}`);
    const version = codeServerVersion();
    log(`code-server --version: ${version}`);
    if (!version.startsWith(`${CODE_SERVER_VERSION} `)) throw new Error(`expected version ${CODE_SERVER_VERSION}, got '${version}'`);

    fs.writeFileSync(
      markerFile,
      JSON.stringify({ version: CODE_SERVER_VERSION, revision: INSTALL_REVISION, node: nodeVersion, installedAt: new Date().toISOString() }, null, 2) + '\n',
    );
    log(`done in ${elapsed()}`);
  } finally {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    install({ force: process.argv.includes('--force') });
  } catch (error) {
    console.error(`[install-code-server] FAILED: ${error.message}`);
    process.exit(1);
  }
}
