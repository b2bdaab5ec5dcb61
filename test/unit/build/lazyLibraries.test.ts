// The heavy libraries' bundles (scripts/lazy-libraries.mjs): built here as `npm run build` builds
// them, each must load on its own and give every name src/ takes from its packages, read through the
// same interop the main bundles use (an earlier ESM `splitting` build handed out only `default`, and
// OAuth2Client, nodemailer and msal were undefined at run time).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { repoRoot, tempDir } from '../helpers/repoRoot';

const root = repoRoot();

interface LazyLibrariesModule {
  lazyLibraries: Record<string, string[]>;
  sharedLibraries: Record<string, string[]>;
  lazyLibraryPlugin: esbuild.Plugin;
  lazyLibraryBuilds(node: esbuild.BuildOptions, outdir: string): esbuild.BuildOptions[];
  nodeBundleOptions(production: boolean): esbuild.BuildOptions;
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sourceFiles(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const names = (list: string): string[] =>
  list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s && !s.startsWith('type '))
    .map((s) => s.split(/\s+as\s+|\s*:\s*/)[0]!.trim());

/** The names src/ reads from a package, in each way the code imports one (static, await import, .then, Promise.all). */
export function namesUsed(pkg: string, files: { text: string }[]): Set<string> {
  const p = escape(pkg);
  const found = new Set<string>();
  for (const { text } of files) {
    const add = (re: RegExp, each: (m: RegExpExecArray) => string[]): void => {
      for (const m of text.matchAll(new RegExp(re.source, 'g'))) for (const n of each(m)) found.add(n);
    };
    add(new RegExp(`import\\s*\\{([^{}]*)\\}\\s*from\\s*'${p}'`), (m) => names(m[1]!));
    add(new RegExp(`import\\s+(\\w+)\\s+from\\s*'${p}'`), () => ['default']);
    add(new RegExp(`\\{([^{}]*)\\}\\s*=\\s*await import\\('${p}'\\)`), (m) => names(m[1]!));
    add(new RegExp(`import\\('${p}'\\)\\.then\\(\\(\\{([^{}]*)\\}\\)`), (m) => names(m[1]!));
    add(new RegExp(`import\\('${p}'\\)\\)(?:[^;()]*\\))?\\.(\\w+)`), (m) => [m[1]!]);
    add(new RegExp(`\\[\\{\\s*([^{}]*)\\}[^\\]]*\\]\\s*=\\s*await Promise\\.all\\(\\[import\\('${p}'\\)`), (m) => names(m[1]!));
    for (const m of text.matchAll(new RegExp(`Promise\\.all\\(\\[import\\('${p}'\\)[^\\]]*\\]\\)\\.then\\(\\(\\[(\\w+)`, 'g'))) {
      const after = text.slice(m.index + m[0].length, m.index + m[0].length + 200);
      const call = new RegExp(`=>\\s*${m[1]!}\\.(\\w+)`).exec(after);
      if (call) found.add(call[1]!);
    }
    // a module kept as a property (`{ bull: await import('bullmq') }`) and what is read from it (`site.bull.Queue`)
    for (const m of text.matchAll(new RegExp(`(\\w+): await import\\('${p}'\\)`, 'g'))) {
      for (const use of text.matchAll(new RegExp(`\\.${m[1]!}\\.(\\w+)`, 'g'))) found.add(use[1]!);
    }
    for (const m of text.matchAll(new RegExp(`const (\\w+) = await import\\('${p}'\\)`, 'g'))) {
      // and a variable taken from it (`const ntlm = (loaded as ...).default ?? loaded`)
      const derived = [...text.matchAll(new RegExp(`const (\\w+) = \\(?${m[1]!}\\b`, 'g'))].map((d) => d[1]!);
      for (const v of [m[1]!, ...derived]) for (const use of text.matchAll(new RegExp(`\\b${v}\\.(\\w+)`, 'g'))) found.add(use[1]!);
    }
  }
  // A loader that returns the whole module under a type (`export type EwsLib = typeof Ews`, with
  // `import type * as Ews from 'pkg'`): every variable of that type and what is read from it.
  for (const { text } of files) {
    const alias = new RegExp(`import type \\* as (\\w+) from '${p}'`).exec(text)?.[1];
    const libType = alias && new RegExp(`export type (\\w+) = typeof ${alias};`).exec(text)?.[1];
    if (!libType) continue;
    for (const file of files) {
      for (const v of file.text.matchAll(new RegExp(`(\\w+)\\??\\s*:\\s*${libType}\\b`, 'g'))) {
        for (const use of file.text.matchAll(new RegExp(`\\b${v[1]!}\\.(\\w+)`, 'g'))) found.add(use[1]!);
      }
    }
  }
  return found;
}

describe('lazy library bundles (dist/lib)', function () {
  this.timeout(180_000);
  let dir = '';
  let lazy: LazyLibrariesModule;

  before(async () => {
    lazy = (await import(pathToFileURL(path.join(root, 'scripts', 'lazy-libraries.mjs')).href)) as LazyLibrariesModule;
    dir = tempDir('lazy-libs');
    const node = { ...lazy.nodeBundleOptions(false), sourcemap: false, absWorkingDir: root };
    const packages = Object.values(lazy.lazyLibraries).flat();
    // The probe is built like a main bundle: each package through the plugin, read with import().
    const probe = `module.exports = {\n${packages.map((p) => `  ${JSON.stringify(p)}: () => import(${JSON.stringify(p)}),`).join('\n')}\n};\n`;
    await Promise.all([
      ...lazy.lazyLibraryBuilds(node, dir).map((options) => esbuild.build(options)),
      esbuild.build({ ...node, plugins: [...(node.plugins ?? []), lazy.lazyLibraryPlugin], stdin: { contents: probe, resolveDir: root, loader: 'js' }, outfile: path.join(dir, 'probe.js') }),
    ]);
  });

  after(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('every library bundle is built and the main bundles reach it by a relative require', () => {
    const probe = fs.readFileSync(path.join(dir, 'probe.js'), 'utf8');
    for (const bundle of Object.keys(lazy.lazyLibraries)) {
      assert.ok(fs.existsSync(path.join(dir, 'lib', `${bundle}.js`)), `lib/${bundle}.js not built`);
      assert.ok(probe.includes(`require("./lib/${bundle}.js")`), `the probe does not require lib/${bundle}.js`);
    }
    // No library's code is inlined into a main bundle.
    assert.ok(Buffer.byteLength(probe) < 20_000, `the probe bundle is ${Buffer.byteLength(probe)} bytes: a library was inlined`);
  });

  it('gives every name src/ imports from each library, through the main bundles\' interop', async () => {
    const files = sourceFiles(path.join(root, 'src')).map((f) => ({ text: fs.readFileSync(f, 'utf8') }));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const probe = require(path.join(dir, 'probe.js')) as Record<string, () => Promise<Record<string, unknown>>>;
    const missing: string[] = [];
    for (const pkg of Object.values(lazy.lazyLibraries).flat()) {
      const used = namesUsed(pkg, files);
      assert.ok(used.size > 0, `no name of ${pkg} found in src/: teach namesUsed how src/ now imports it`);
      const loaded = await probe[pkg]!();
      for (const name of used) if (loaded[name] === undefined || loaded[name] === null) missing.push(`${pkg}: ${name}`);
    }
    assert.deepEqual(missing, []);
  });

  it('a deferred library (yaml) is required on the first read of an export, not where it is imported', async () => {
    // A copy of the bundles: module instances of their own, whatever the other tests loaded.
    const fresh = path.join(dir, 'fresh');
    fs.mkdirSync(fresh, { recursive: true });
    fs.cpSync(path.join(dir, 'lib'), path.join(fresh, 'lib'), { recursive: true });
    fs.copyFileSync(path.join(dir, 'probe.js'), path.join(fresh, 'probe.js'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const probe = require(path.join(fresh, 'probe.js')) as Record<string, () => Promise<Record<string, unknown>>>;
    const bundle = path.join(fresh, 'lib', 'yaml.js');
    const yaml = await probe['yaml']!();
    assert.ok(Object.keys(yaml).includes('parseDocument'), 'the export names are listed before loading');
    assert.equal(require.cache[bundle], undefined, 'lib/yaml.js was required on import');
    assert.deepEqual((yaml['parse'] as (text: string) => unknown)('a: 1'), { a: 1 });
    assert.ok(require.cache[bundle], 'lib/yaml.js was not required on use');
  });

  it('the shared dependencies (iconv-lite, encoding-japanese) load on first use and still decode legacy charsets', async () => {
    const fresh = path.join(dir, 'shared');
    fs.mkdirSync(fresh, { recursive: true });
    fs.cpSync(path.join(dir, 'lib'), path.join(fresh, 'lib'), { recursive: true });
    const loaded = (bundle: string) => require.cache[path.join(fresh, 'lib', `${bundle}.js`)] !== undefined;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require(path.join(fresh, 'lib', 'imapflow.js'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { simpleParser } = require(path.join(fresh, 'lib', 'mailparser.js')) as { simpleParser(data: Buffer): Promise<{ subject?: string; text?: string }> };
    for (const bundle of ['iconv', 'japanese']) assert.equal(loaded(bundle), false, `lib/${bundle}.js was required when imapflow or mailparser loaded`);
    const nihon = Buffer.from('1b2442467c4b5c1b2842', 'hex').toString('base64'); // 日本 in ISO-2022-JP
    const message = Buffer.from(`Subject: =?ISO-2022-JP?B?${nihon}?=\r\nContent-Type: text/plain; charset=windows-1252\r\n\r\ncaf\xe9\r\n`, 'latin1');
    const parsed = await simpleParser(message);
    assert.equal(parsed.subject, '日本');
    assert.equal(parsed.text?.trim(), 'café');
    for (const bundle of ['iconv', 'japanese']) assert.equal(loaded(bundle), true, `lib/${bundle}.js was not required to decode`);
  });

  it('each bundle exports what the package itself gives require()', () => {
    for (const [bundle, packages] of Object.entries({ ...lazy.lazyLibraries, ...lazy.sharedLibraries })) {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const built = require(path.join(dir, 'lib', `${bundle}.js`)) as Record<string, unknown>;
      for (const pkg of packages) {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const original = require(pkg) as Record<string, unknown>;
        const exported = (packages.length > 1 ? built[pkg] : built) as Record<string, unknown>;
        const shape = (m: Record<string, unknown>): string[] => Object.keys(m).sort().map((k) => `${k}:${typeof m[k]}`);
        assert.deepEqual(shape(exported), shape(original), `lib/${bundle}.js differs from require('${pkg}')`);
      }
    }
  });
});
