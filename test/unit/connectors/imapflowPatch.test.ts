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

/** An imapflow module bundled with the build's plugin, as dist/lib/imapflow.js gets it: its exports and source. */
async function bundled<T>(patch: PatchModule, request: string, load: NodeJS.Require = require): Promise<{ exports: T; source: string }> {
  const out = await build({
    stdin: { contents: `module.exports = require(${JSON.stringify(request)});`, resolveDir: repoRoot(), loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
    logLevel: 'silent',
    plugins: [patch.imapflowQuietPatch as never],
  });
  const source = out.outputFiles[0].text;
  const mod = { exports: {} as T };
  new Function('module', 'exports', 'require', source)(mod, mod.exports, load);
  return { exports: mod.exports, source };
}

/** imapflow's tools bundled with the build's plugin. */
async function patchedImapflow(patch: PatchModule): Promise<{ formatMessageResponse: Formatter; source: string }> {
  const { exports, source } = await bundled<{ formatMessageResponse: Formatter }>(patch, 'imapflow/lib/tools.js');
  return { formatMessageResponse: exports.formatMessageResponse, source };
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

  it('loads on first use what a plain connection without a logger never needs: pino (assert, worker_threads), tls, zlib, dns', async function () {
    this.timeout(30_000);
    const required: string[] = [];
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const load = Object.assign((id: string): unknown => (required.push(id), require(id)), require);
    const { exports } = await bundled<{ ImapFlow: new (options: object) => object }>(patch, 'imapflow', load);
    assert.ok(new exports.ImapFlow({ host: '127.0.0.1', port: 1, logger: false }));
    for (const builtin of ['assert', 'worker_threads', 'node:tls', 'node:zlib', 'node:dns']) assert.ok(!required.includes(builtin), `imapflow required ${builtin}: ${required.join(', ')}`);
  });

  it('logs in with AUTHENTICATE PLAIN in one line where the server announces SASL-IR, and waits for "+" where it does not', async function () {
    this.timeout(30_000);
    type Authenticate = (connection: object, username: string, credentials: { password: string; authzid?: string }) => Promise<unknown>;
    const { exports } = await bundled<{ default: Authenticate }>(patch, 'imapflow/lib/commands/authenticate.js');
    const login = async (capabilities: string[], authzid?: string) => {
      const sent: { attributes: { value: string; sensitive?: boolean }[]; waitsForPlus: boolean }[] = [];
      const connection = {
        states: { NOT_AUTHENTICATED: 1 },
        state: 1,
        capabilities: new Map(capabilities.map((c) => [c, true])),
        authCapabilities: new Map(),
        log: { debug: () => undefined },
        write: () => undefined,
        exec: async (command: string, attributes: { value: string; sensitive?: boolean }[], options: { onPlusTag?: unknown }) => {
          sent.push({ attributes: [{ value: command }, ...attributes], waitsForPlus: typeof options.onPlusTag === 'function' });
          return { next: () => undefined };
        },
      };
      await exports.default(connection, 'ann', { password: 'secret', ...(authzid ? { authzid } : {}) });
      return sent;
    };
    const plain = (authzid: string) => Buffer.from(`${authzid}\0ann\0secret`).toString('base64');
    const [withIr] = await login(['AUTH=PLAIN', 'SASL-IR']);
    assert.deepEqual(withIr.attributes.map((a) => a.value), ['AUTHENTICATE', 'PLAIN', plain('')]);
    assert.equal(withIr.attributes[2].sensitive, true, 'kept out of any log');
    assert.deepEqual((await login(['AUTH=PLAIN', 'SASL-IR'], 'boss'))[0].attributes.map((a) => a.value), ['AUTHENTICATE', 'PLAIN', plain('boss')]);
    const [without] = await login(['AUTH=PLAIN']);
    assert.deepEqual([without.attributes.map((a) => a.value), without.waitsForPlus], [['AUTHENTICATE', 'PLAIN'], true]);
  });

  it('sends an APPEND with large literals at once (LITERAL+), the literals themselves and not copies', async function () {
    this.timeout(30_000);
    const { exports } = await bundled<{ ImapFlow: new (options: object) => Record<string, unknown> & { send(data: object): Promise<void> } }>(patch, 'imapflow');
    const client = new exports.ImapFlow({ host: '127.0.0.1', port: 1, logger: false });
    const written: Buffer[] = [];
    let corked = 0;
    client.socket = { destroyed: false };
    client.writeSocket = { destroyed: false, write: (b: Buffer) => written.push(b), cork: () => corked++, uncork: () => undefined };
    client.capabilities = new Map([['LITERAL+', true]]);
    client.state = (client.states as Record<string, unknown>).AUTHENTICATED;
    const first = Buffer.alloc(200_000, 'a');
    const second = Buffer.alloc(300_000, 'b');
    const literal = (value: Buffer) => ({ type: 'LITERAL', value });
    await client.send({ tag: 'A1', command: 'APPEND', attributes: [{ type: 'ATOM', value: 'INBOX' }, [{ type: 'ATOM', value: '\\Seen' }], literal(first), [], literal(second)] });
    // Everything went out without waiting for a "+" (imapflow waited after the first literal's size).
    assert.equal(Buffer.concat(written).toString('latin1'), `A1 APPEND INBOX (\\Seen) {200000+}\r\n${first.toString('latin1')} () {300000+}\r\n${second.toString('latin1')}\r\n`);
    assert.ok(written.includes(first) && written.includes(second), 'the literals were written as they are, not copied into one Buffer');
    assert.equal(corked, 1);
  });

  it("sorts LIST's folders by code unit, without ICU's collation (localeCompare)", async () => {
    const { source } = await bundled<unknown>(patch, 'imapflow/lib/commands/list.js');
    assert.doesNotMatch(source, /\.localeCompare\(/);
    assert.equal((source.match(/ferryOrdinal\(/g) ?? []).length, 3 + 1, 'three comparisons and the helper');
  });

  it('refuses an imapflow whose code changed shape, naming the file', async () => {
    const refused = patch.patchImapflowSource('/x/node_modules/imapflow/dist/cjs/tools.js', 'async function formatMessageResponse() {}');
    assert.match(refused.error ?? '', /imapflow-quiet: expected 1 match.*tools\.js, found 0/);
    assert.equal(patch.patchImapflowSource('/x/node_modules/imapflow/dist/cjs/other.js', 'x').contents, 'x');
  });
});
