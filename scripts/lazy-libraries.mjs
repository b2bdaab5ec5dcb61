// The heavy libraries, each built into a bundle of its own (dist/lib/NAME.js) that the main bundles
// (cli, runner, extension, workers) require on first use: `ferry validate`, `ferry status` and a
// Maildir or IMAP pass no longer read and compile the Exchange, Microsoft 365, Google and
// distributed-mode code (dist/cli.js was 14.8 MB, 29% of it ews-javascript-api).
// Every bundle is CommonJS and is reached with require(), never a dynamic import() of an ES module
// chunk: an import() of a CommonJS package there yields only `default` (OAuth2Client, nodemailer,
// msal were undefined at run time in the reverted `splitting` build). A library bundle exports what
// `require(package)` gives in plain Node, and the code's `import('package')` reads it through
// esbuild's usual interop, so named exports and `default` behave as when the library was inlined.
// test/unit/build/lazyLibraries.test.ts loads every bundle and checks each name src/ imports.
import { createRequire } from 'node:module';
import path from 'node:path';
import { imapflowQuietPatch } from './imapflow-quiet-patch.mjs';
import { oneByteSource } from './one-byte-source.mjs';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/**
 * Bundle name -> the packages it holds. Packages that hand objects to each other share one bundle
 * (google-auth-library's clients go into the @googleapis APIs), so each library exists once.
 * A bundle of several packages loads each on first access.
 */
export const lazyLibraries = {
  ews: ['ews-javascript-api', '@xmldom/xmldom', '@ewsjs/ntlm-client'],
  msal: ['@azure/msal-node'],
  graph: ['@microsoft/microsoft-graph-client'],
  google: ['google-auth-library', '@googleapis/gmail', '@googleapis/calendar', '@googleapis/people', '@googleapis/admin'],
  imapflow: ['imapflow', 'imapflow/lib/tools.js'],
  mailparser: ['mailparser'],
  ical: ['ical.js'],
  timezones: ['windows-iana'],
  nodemailer: ['nodemailer'],
  bullmq: ['bullmq'],
  yaml: ['yaml'],
};

/**
 * Bundles loaded on the first use of one of their exports rather than where the code imports them:
 * yaml is imported at the top of the plan modules, which the extension loads on activation, yet
 * only completion, quick fixes and the CLI's plan reading call it (a third of dist/extension.js).
 */
export const deferredLibraries = new Set(['yaml']);

/** esbuild options of every bundle that runs in Node (the main ones and the libraries'). */
export function nodeBundleOptions(production) {
  return {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    sourcemap: !production,
    minify: production,
    logLevel: 'warning',
    // deasync: an optional native dependency of ews-javascript-api; pg-native: pg's optional libpq
    // binding, not used (the distributed mode talks pg's own protocol). Neither can be bundled.
    external: ['vscode', 'deasync', 'pg-native'],
    // imapflow without its log formatting when the logger is off (see the plugin); Latin-1 output.
    plugins: [imapflowQuietPatch, oneByteSource],
  };
}

/**
 * Dependencies of the libraries above, in bundles of their own that the library bundles require on
 * first use (deferred): libmime's encoding-japanese tables and iconv-lite's codecs are needed only
 * for a message in a legacy charset, yet imapflow and mailparser load them at start (a third of
 * dist/lib/imapflow.js, evaluated by every IMAP pass).
 */
export const sharedLibraries = {
  iconv: ['iconv-lite'],
  japanese: ['encoding-japanese'],
};

/** Every bundle of dist/lib: the libraries src/ imports and their shared dependencies. */
const allLibraries = { ...lazyLibraries, ...sharedLibraries };
const isDeferred = (bundle) => deferredLibraries.has(bundle) || bundle in sharedLibraries;

/** Package -> its bundle name. */
const bundleOf = new Map(Object.entries(allLibraries).flatMap(([bundle, packages]) => packages.map((p) => [p, bundle])));
const NAMESPACE = 'ferry-lazy-library';
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const packagesMatching = (packages) => new RegExp(`^(${packages.map(escape).join('|')})$`);

/** The bundle's path from a main bundle in dist/ (require() resolves it against that file). */
export const libraryPath = (bundle) => `./lib/${bundle}.js`;

/**
 * An import of one of `packages` becomes a require() of its library bundle (at `pathOf(bundle)`
 * from the bundle being built), done where the import is evaluated, or for a deferred bundle on the
 * first read of one of its exports.
 */
function redirect(packages, pathOf) {
  return {
    name: 'lazy-libraries',
    setup(build) {
      build.onResolve({ filter: packagesMatching(packages) }, (args) => ({ path: args.path, namespace: NAMESPACE }));
      build.onResolve({ filter: /^\.\//, namespace: NAMESPACE }, (args) => ({ path: args.path, external: true }));
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => {
        const bundle = bundleOf.get(args.path);
        const member = allLibraries[bundle].length > 1 ? `[${JSON.stringify(args.path)}]` : '';
        const load = `require(${JSON.stringify(pathOf(bundle))})${member}`;
        return { contents: isDeferred(bundle) ? deferredModule(args.path, load) : `module.exports = ${load};\n`, loader: 'js' };
      });
    },
  };
}

/** For the main bundles (dist/*.js): every library src/ imports. */
export const lazyLibraryPlugin = redirect(Object.values(lazyLibraries).flat(), libraryPath);

/**
 * A module whose exports are the package's (names known at build time, so esbuild's interop can
 * list them) and whose bundle is required on the first read of one of them.
 */
function deferredModule(pkg, load) {
  const exported = createRequire(path.join(root, 'package.json'))(pkg);
  const names = Object.keys(exported).filter((name) => name !== '__esModule');
  return `'use strict';
const names = new Set(${JSON.stringify(names)});
let loaded;
const load = () => (loaded ??= ${load});
module.exports = new Proxy({}, {
  get: (_, key) => (key === '__esModule' ? ${JSON.stringify(exported.__esModule)} : load()[key]),
  set: (_, key, value) => ((load()[key] = value), true),
  has: (_, key) => names.has(key),
  ownKeys: () => [...names],
  getOwnPropertyDescriptor: (_, key) => (names.has(key) ? { enumerable: true, configurable: true, get: () => load()[key] } : undefined),
});
`;
}

/** The entry of a library bundle: module.exports is require(package), or one getter per package. */
function entryOf(packages) {
  if (packages.length === 1) return `module.exports = require(${JSON.stringify(packages[0])});\n`;
  return packages.map((p) => `Object.defineProperty(exports, ${JSON.stringify(p)}, { enumerable: true, get: () => require(${JSON.stringify(p)}) });\n`).join('');
}

/** esbuild options of every library bundle, from the main bundles' Node options. */
export function lazyLibraryBuilds(node, outdir) {
  return Object.entries(allLibraries).map(([bundle, packages]) => {
    // A library's own shared dependencies come from their bundles, beside it in dist/lib/.
    const shared = Object.entries(sharedLibraries).filter(([name]) => name !== bundle).flatMap(([, p]) => p);
    return {
      ...node,
      plugins: [...(node.plugins ?? []), redirect(shared, (name) => `./${name}.js`)],
      stdin: { contents: entryOf(packages), resolveDir: root, sourcefile: `lib-${bundle}.js`, loader: 'js' },
      outfile: `${outdir}/lib/${bundle}.js`,
    };
  });
}
