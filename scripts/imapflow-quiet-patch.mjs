// An esbuild plugin that patches imapflow at build time (the package itself is untouched), two hot
// paths of a bulk FETCH or MULTIAPPEND. Each changes nothing of what imapflow returns, and fails the
// build when imapflow's code no longer has the expected shape (an upgrade): look at the new
// version, then adjust or drop the patch. Both are offered upstream.
// 1. imap-flow.js: with `logger: false` (how Ferry opens every IMAP connection) imapflow still
//    compiles every command and every server response a second time into log text that nobody
//    reads; on a bulk FETCH or MULTIAPPEND that is about half of the process's CPU. The patch skips
//    that compilation when the logger is off. ("skip the logging compiler when logger is false")
// 2. tools.js formatMessageResponse: every field name of every FETCH response (UID, FLAGS,
//    RFC822.SIZE, INTERNALDATE, BODY[] ...) is sent through the async command compiler to get its
//    text back, a dozen awaited calls per message. A plain atom (no section, no partial, only
//    letters, digits, '.' and '-') compiles to itself: the patch takes its value directly, and
//    `BODY[]` likewise; any other key still goes through the compiler. ("FETCH keys without the
//    compiler")
import fs from 'node:fs';

const patches = [
  {
    // The ES module build (what `import` resolves to) and the CommonJS one.
    file: /[\\/]imapflow[\\/]dist[\\/](esm|cjs)[\\/]imap-flow\.js$/,
    find: /let logCompiled = await (\(0, imap_handler_js_1\.compiler\)|compiler)\(/g,
    expected: 2,
    replace: (_, call) => `let logCompiled = this.options.logger === false ? '' : await ${call}(`,
  },
  {
    file: /[\\/]imapflow[\\/]dist[\\/](esm|cjs)[\\/]tools\.js$/,
    find: /key = \(await (\(0, imap_handler_js_1\.compiler\)|compiler)\(\{/g,
    expected: 1,
    replace: (_, call) => `key = plainFetchKey(attribute) ?? (await ${call}({`,
    // Appended to the module: the key as the compiler would write it, lower-cased, or undefined.
    append: `
function plainFetchKey(attribute) {
    if (!attribute || attribute.type !== 'ATOM' || attribute.partial || typeof attribute.value !== 'string' || !/^[A-Za-z0-9.-]+$/.test(attribute.value)) return undefined;
    if (!attribute.section) return attribute.value.toLowerCase();
    return Array.isArray(attribute.section) && attribute.section.length === 0 ? attribute.value.toLowerCase() + '[]' : undefined;
}
`,
  },
];

/** The patched text of one imapflow module, or an error text when its code changed shape. */
export function patchImapflowSource(filePath, source) {
  const patch = patches.find((p) => p.file.test(filePath));
  if (!patch) return { contents: source };
  const found = source.match(patch.find)?.length ?? 0;
  if (found !== patch.expected) return { error: `imapflow-quiet: expected ${patch.expected} match(es) of ${patch.find} in ${filePath}, found ${found} (imapflow changed: review scripts/imapflow-quiet-patch.mjs)` };
  return { contents: source.replace(patch.find, patch.replace) + (patch.append ?? '') };
}

export const imapflowQuietPatch = {
  name: 'imapflow-quiet',
  setup(build) {
    for (const { file } of patches) {
      build.onLoad({ filter: file }, async (args) => {
        const patched = patchImapflowSource(args.path, await fs.promises.readFile(args.path, 'utf8'));
        return patched.error ? { errors: [{ text: patched.error }] } : { contents: patched.contents, loader: 'js' };
      });
    }
  },
};
