// An esbuild plugin: the bundles as one-byte (Latin-1) source text. esbuild writes ASCII code but
// keeps some libraries' comments as they are (Japanese text in a charset table's JSDoc, dashes):
// 800 such characters in 15 MB made V8 hold dist/cli.js as a two-byte string, 30 MB of heap for
// the life of every `ferry` process instead of 15, and V8 sizes its heap limit by what is live. The
// characters beyond Latin-1 (in comments only: esbuild escapes them in code) become \u escapes.
import fs from 'node:fs';
import path from 'node:path';

const BEYOND_LATIN1 = /[^\u0000-\u00ff]/gu;

/** The text with every character beyond Latin-1 written as \uXXXX (\u{...} above the BMP). */
export function oneByteText(text) {
  return text.replace(BEYOND_LATIN1, (c) => {
    const code = c.codePointAt(0);
    return code > 0xffff ? `\\u{${code.toString(16)}}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

export const oneByteSource = {
  name: 'one-byte-source',
  setup(build) {
    build.onEnd(async (result) => {
      if (result.errors.length > 0) return;
      const { outdir, entryPoints } = build.initialOptions;
      for (const name of Object.keys(entryPoints ?? {})) {
        const file = path.join(outdir, `${name}.js`);
        const text = await fs.promises.readFile(file, 'utf8').catch(() => undefined);
        if (text === undefined || !BEYOND_LATIN1.test(text)) continue;
        BEYOND_LATIN1.lastIndex = 0;
        await fs.promises.writeFile(file, oneByteText(text));
      }
    });
  },
};
