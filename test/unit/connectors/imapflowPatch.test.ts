// The build's imapflow patches (scripts/imapflow-quiet-patch.mjs): FETCH field names taken without
// the async compiler where they compile to themselves. The patched module, bundled as the build
// bundles it, must answer every FETCH response exactly as imapflow itself does.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { repoRoot } from '../helpers/repoRoot';

type Formatter = (untagged: unknown, mailbox: unknown) => Promise<Record<string, unknown>>;
type Parser = (command: Buffer, options: { literals: Buffer[] }) => Promise<unknown>;
interface PatchModule {
  imapflowQuietPatch: object;
  patchImapflowSource(file: string, source: string): { contents?: string; error?: string };
}

const load = (file: string): Promise<PatchModule> => import(pathToFileURL(path.join(repoRoot(), file)).href) as Promise<PatchModule>;

/** imapflow's tools and parser bundled with the build's plugin, as dist/cli.js gets them. */
async function patchedImapflow(patch: PatchModule): Promise<{ formatMessageResponse: Formatter; source: string }> {
  const out = await build({
    stdin: { contents: "module.exports = require('imapflow/lib/tools.js');", resolveDir: repoRoot(), loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
    plugins: [patch.imapflowQuietPatch as never],
  });
  const source = out.outputFiles[0].text;
  const mod = { exports: {} as { formatMessageResponse: Formatter } };
  new Function('module', 'exports', 'require', source)(mod, mod.exports, require);
  return { formatMessageResponse: mod.exports.formatMessageResponse, source };
}

/** FETCH responses as servers send them: plain keys, BODY[], sections, partials, literals, NIL. */
const RESPONSES: [string, string[]][] = [
  ['* 1 FETCH (UID 5 FLAGS (\\Seen $Forwarded) RFC822.SIZE 123 INTERNALDATE "05-Dec-2026 10:11:12 +0000" BODY[] {5}\r\n)', ['hello']],
  ['* 2 FETCH (UID 6 MODSEQ (77) FLAGS () BODY[HEADER.FIELDS (MESSAGE-ID)] {25}\r\n)', ['Message-ID: <a@b>\r\n\r\n\r\n']],
  ['* 3 FETCH (UID 7 BODY[1.MIME] {4}\r\n BODY[]<0> {3}\r\n BINARY.SIZE[1] 44)', ['ab\r\n', 'xyz']],
  ['* 4 FETCH (X-GM-MSGID 1278455344230334865 X-GM-THRID 1266894439832287888 X-GM-LABELS (\\Inbox "Label A") UID 8)', []],
  ['* 5 FETCH (UID 9 ENVELOPE ("Mon, 7 Feb 1994 21:52:25 -0800" "Hi" NIL NIL NIL NIL NIL NIL NIL "<x@y>") EMAILID (M6d99ac3275bb4e) THREADID NIL)', []],
];

describe('imapflow patched at build time', () => {
  let patch: PatchModule;
  let parser: Parser;
  let original: Formatter;
  before(async () => {
    patch = await load('scripts/imapflow-quiet-patch.mjs');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    parser = (require('imapflow/lib/handler/imap-handler.js') as { parser: Parser }).parser;
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    original = (require('imapflow/lib/tools.js') as { formatMessageResponse: Formatter }).formatMessageResponse;
  });

  it('formats FETCH responses exactly as imapflow does, plain field names without the compiler', async function () {
    this.timeout(30_000);
    const patched = await patchedImapflow(patch);
    assert.match(patched.source, /key = plainFetchKey\(attribute\) \?\?/, 'the bundle carries the patched formatMessageResponse');
    const mailbox = { path: 'INBOX', uidValidity: 42n };
    const first = await patched.formatMessageResponse(await parser(Buffer.from(RESPONSES[0][0]), { literals: [Buffer.from('hello')] }), mailbox);
    assert.deepEqual([first.uid, first.size, String(first.source)], [5, 123, 'hello']);
    for (const [line, literals] of RESPONSES) {
      const parse = async () => parser(Buffer.from(line), { literals: literals.map((l) => Buffer.from(l, 'latin1')) });
      assert.deepEqual(await patched.formatMessageResponse(await parse(), mailbox), await original(await parse(), mailbox), line);
    }
  });

  it('refuses an imapflow whose code changed shape, naming the file', async () => {
    const refused = patch.patchImapflowSource('/x/node_modules/imapflow/dist/cjs/tools.js', 'async function formatMessageResponse() {}');
    assert.match(refused.error ?? '', /imapflow-quiet: expected 1 match.*tools\.js, found 0/);
    assert.equal(patch.patchImapflowSource('/x/node_modules/imapflow/dist/cjs/other.js', 'x').contents, 'x');
  });
});
