// V8's code cache for Ferry's bundles (dist/*.js, dist/lib/*.js), kept per command in the user's
// cache folder. Node's own compile cache (module.enableCompileCache) stores a bundle's code as
// compiled when it loads: only its top level, so every function a command calls is compiled again
// from source at each start. This cache is taken when the command has run, with every function it
// compiled, and keyed by the command: `ferry validate` and `ferry status` each start from their
// own. V8 checks the source and its flags and refuses a stale cache (the bundle is then compiled
// as usual and the cache written again). Any failure to read or write it only costs the speed-up.
'use strict';
const fs = require('node:fs');
const Module = require('node:module');
const os = require('node:os');
const path = require('node:path');
const vm = require('node:vm');

/** The folder for Ferry's caches: FERRY_CACHE_DIR, else the platform's per-user cache folder. */
function cacheFolder(env = process.env) {
  if (env.FERRY_CACHE_DIR) return env.FERRY_CACHE_DIR;
  if (process.platform === 'win32') return path.join(env.LOCALAPPDATA || path.join(os.homedir(), 'AppData', 'Local'), 'ferry', 'Cache');
  if (process.platform === 'darwin') return path.join(os.homedir(), 'Library', 'Caches', 'ferry');
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'ferry');
}

/**
 * The option that lets `import()` in a bundle load as it does in a module Node loads itself (the
 * bundles import a few builtins that way). Reading it prints an experimental-feature warning on
 * every start; only that warning is filtered, as src/store/sqlite.ts does for node:sqlite.
 */
function mainContextLoader() {
  const original = process.emitWarning;
  process.emitWarning = (warning, ...rest) => {
    if (/USE_MAIN_CONTEXT_DEFAULT_LOADER/.test(typeof warning === 'string' ? warning : warning.message)) return;
    return original.call(process, warning, ...rest);
  };
  try {
    return vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER;
  } finally {
    process.emitWarning = original;
  }
}

/** FNV-1a of a path: tells apart bundles of several checkouts without loading node:crypto. */
function pathHash(text) {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return hash.toString(16);
}

/**
 * What a start's code cache is kept under: the command, and for `ferry run` its pass (`run-delta`).
 * A cache holds every function the run that took it compiled, and V8 deserialises all of it at
 * each start: one `run` cache for every pass was the first pass's, a full pass with the plan's
 * validation (~50% more than a delta runs), so each delta deserialised the full pass's copy code
 * and compiled its own from source (issue 17, round 8).
 */
function cacheKind(argv) {
  const [command = '', ...rest] = argv;
  if (command !== 'run') return command;
  const at = rest.findIndex((a) => a === '--pass' || a.startsWith('--pass='));
  const pass = at === -1 ? undefined : rest[at] === '--pass' ? rest[at + 1] : rest[at].slice('--pass='.length);
  return pass !== undefined && /^[a-z]{1,12}$/.test(pass) ? `run-${pass}` : command;
}

/**
 * Loads the bundles under `distDir` through V8's code cache for `kind` (cacheKind: a command, or
 * `run-<pass>`). Returns `save()`, to call once the command has run: it writes the cache of each
 * bundle whose cache was missing or refused, and returns the files it wrote. Other modules load as
 * usual.
 */
function useBundleCache(distDir, kind, env = process.env) {
  const folder = path.join(cacheFolder(env), 'code', `${process.version}-${process.arch}`);
  const name = /^[a-z-]{1,20}$/.test(kind) ? kind : 'other';
  const root = path.resolve(distDir) + path.sep;
  const toWrite = [];
  const importModuleDynamically = mainContextLoader();
  const plain = Module._extensions['.js'];
  Module._extensions['.js'] = function loadBundle(module, filename) {
    if (!filename.startsWith(root)) return plain(module, filename);
    const source = fs.readFileSync(filename, 'utf8');
    // One cache file per bundle path and kind. It starts with the bundle's size and time: V8
    // checks only the source's length, so a rebuilt bundle of the same length needs this to be
    // told apart (a hash of the whole bundle would cost more than the cache saves).
    const file = path.join(folder, `${path.basename(filename, '.js')}-${pathHash(filename)}.${name}`);
    const stat = fs.statSync(filename);
    const stamp = Buffer.from(`${stat.size}:${stat.mtimeMs}\n`);
    let cachedData;
    try {
      const data = fs.readFileSync(file);
      if (data.subarray(0, stamp.length).equals(stamp)) cachedData = data.subarray(stamp.length);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(Module.wrap(source), { filename, cachedData, importModuleDynamically });
    if (cachedData === undefined || script.cachedDataRejected) toWrite.push({ script, file, stamp });
    const require = Module.createRequire(filename);
    script.runInThisContext().call(module.exports, module.exports, require, module, filename, path.dirname(filename));
  };
  return function save() {
    const written = [];
    for (const { script, file, stamp } of toWrite.splice(0)) {
      const temporary = `${file}.${process.pid}`;
      try {
        fs.mkdirSync(folder, { recursive: true });
        fs.writeFileSync(temporary, Buffer.concat([stamp, script.createCachedData()]));
        fs.renameSync(temporary, file);
        written.push(file);
      } catch {
        // A read-only or full cache folder: the next start compiles again.
        try {
          fs.rmSync(temporary, { force: true });
        } catch {
          // nothing was written
        }
      }
    }
    return written;
  };
}

module.exports = { cacheFolder, cacheKind, useBundleCache };
