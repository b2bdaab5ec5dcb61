// An esbuild plugin that patches imapflow at build time (the package itself is untouched): with
// `logger: false` (how Ferry opens every IMAP connection) imapflow still compiles every command and
// every server response a second time into log text that nobody reads; on a bulk FETCH or
// MULTIAPPEND that is about half of the process's CPU. The patch skips that compilation when the
// logger is off and changes nothing otherwise. It fails the build when imapflow's code no longer
// has the expected shape (an upgrade): look at the new version, then adjust or drop the patch.
// Offered upstream as: "skip the logging compiler when logger is false".
import fs from 'node:fs';

// The ES module build (what `import` resolves to) and the CommonJS one.
const FILE = /[\\/]imapflow[\\/]dist[\\/](esm|cjs)[\\/]imap-flow\.js$/;
const COMPILE_FOR_LOG = /let logCompiled = await (\(0, imap_handler_js_1\.compiler\)|compiler)\(/g;
const EXPECTED = 2;

export const imapflowQuietPatch = {
  name: 'imapflow-quiet',
  setup(build) {
    build.onLoad({ filter: FILE }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8');
      const found = source.match(COMPILE_FOR_LOG)?.length ?? 0;
      if (found !== EXPECTED) {
        return { errors: [{ text: `imapflow-quiet: expected ${EXPECTED} log compilations in ${args.path}, found ${found} (imapflow changed: review scripts/imapflow-quiet-patch.mjs)` }] };
      }
      const contents = source.replace(COMPILE_FOR_LOG, (_, call) => `let logCompiled = this.options.logger === false ? '' : await ${call}(`);
      return { contents, loader: 'js' };
    });
  },
};
