// The build writes bundles V8 can hold as one-byte strings (scripts/one-byte-source.mjs): a single
// character beyond Latin-1 left in a comment doubles the heap the 15 MB command line takes.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/repoRoot';

type OneByteText = (text: string) => string;

describe('bundles as one-byte source', () => {
  let oneByteText: OneByteText;
  before(async () => {
    ({ oneByteText } = (await import(pathToFileURL(path.join(repoRoot(), 'scripts/one-byte-source.mjs')).href)) as { oneByteText: OneByteText });
  });

  it('escapes every character beyond Latin-1 and keeps Latin-1 and ASCII as they are', () => {
    const out = oneByteText('/** 全角 — Été 😀 */ const x = 1;');
    assert.equal(out, '/** \\u5168\\u89d2 \\u2014 Été \\u{1f600} */ const x = 1;');
    assert.ok([...out].every((c) => c.charCodeAt(0) <= 0xff));
  });

  it('leaves code that means the same (the characters esbuild leaves are in comments)', () => {
    const source = '// 全角英数記号文字を半角に変換 — note\nmodule.exports = "\\u2014" + /* 角 */ 1;';
    const run = (text: string) => {
      const mod = { exports: undefined as unknown };
      new Function('module', text)(mod);
      return mod.exports;
    };
    assert.equal(run(oneByteText(source)), run(source));
  });
});
