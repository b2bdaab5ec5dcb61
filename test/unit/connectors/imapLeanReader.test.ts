// The lean body reader (src/connectors/imap/lean/leanBodyReader.ts) against a scripted IMAP server:
// several UID FETCHes in flight at once, EXAMINE and BODY.PEEK[] only (never \Seen), a command the
// server refuses (each message asked alone, the unreadable one IMAP-NO, the rest read), a message
// the server no longer has (gone), another UIDVALIDITY (gone), BYE in the middle (a transient
// IMAP-DISCONNECT, then a new connection reads on), and the fallback to imapflow where the reader
// cannot log in as imapflow would.
import * as assert from 'node:assert/strict';
import { ImapSession } from '../../../src/connectors/imap/imapSession';
import { imapFlowOptions, type ImapEndpointSettings } from '../../../src/connectors/imap/imapSettings';
import { LEAN_AHEAD, LeanBodyReader, type LeanRead } from '../../../src/connectors/imap/lean/leanBodyReader';
import { loginMechanism, LeanUnsupported } from '../../../src/connectors/imap/lean/wireConnection';
import { Limiter } from '../../../src/engine/limiter';
import { ConnectorError, type ItemContent, type ItemRef } from '../../../src/connectors/types';
import { startScriptedImap, type ScriptedImapOptions, type ScriptedImapServer } from './scriptedImapServer';

const signal = new AbortController().signal;
const FOLDER = { id: 'INBOX', path: ['INBOX'], itemType: 'mail' as const };
const bodyOf = (uid: number) => Buffer.from(`Subject: ${uid}\r\n\r\n${'x'.repeat(uid * 7)}\r\n`);
const messages = (count: number) => new Map(Array.from({ length: count }, (_, i) => [i + 1, bodyOf(i + 1)]));

function session(port: number, auth: { user: string; pass?: string; accessToken?: string } = { user: 'ann', pass: 'pw' }, slots?: Limiter): ImapSession {
  const endpoint: ImapEndpointSettings = { host: '127.0.0.1', port, security: 'none', allowInvalidCertificates: false, maxConnections: 10 };
  return new ImapSession(imapFlowOptions(endpoint, auth), { host: '127.0.0.1', port, user: auth.user, mailbox: 'ann' }, undefined, slots && (() => slots.tryAcquire()));
}

function listing(uids: number[], uidValidity = '7'): ItemRef[] {
  return uids.map((uid) => ({ id: `${uidValidity}:${uid}`, sizeBytes: bodyOf(uid).length, date: new Date(0), flags: [], itemType: 'mail' as const }));
}

/** Item `i` of `list` in FOLDER; `mailbox`: where its body is (another mailbox, as Gmail's All Mail). */
function request(list: ItemRef[], i: number, mailbox = 'INBOX'): LeanRead {
  return {
    folder: FOLDER,
    ref: list[i],
    listing: list,
    position: i,
    locate: (r) => {
      const [uidValidity, uid] = r.id.split(':');
      return { mailbox, uidValidity, uid: Number(uid) };
    },
    flags: (_r, fetched) => fetched,
  };
}

/** Reads every item of `list` in order; an error is kept as `code/disposition`. */
async function readAll(reader: LeanBodyReader, list: ItemRef[], mailbox?: string): Promise<(ItemContent | undefined | string)[]> {
  const out: (ItemContent | undefined | string)[] = [];
  for (let i = 0; i < list.length; i++) {
    try {
      out.push(await reader.read(request(list, i, mailbox), signal));
    } catch (error) {
      assert.ok(error instanceof ConnectorError, String(error));
      out.push(`${error.code}/${error.disposition}`);
    }
  }
  return out;
}

/** The UIDs each UID FETCH the server received named, in order. */
function fetchedUids(server: ScriptedImapServer): number[] {
  return server.commands
    .map((c) => /^\S+ UID FETCH (\S+) /i.exec(c)?.[1])
    .filter((set): set is string => set !== undefined)
    .flatMap((set) => set.split(',').flatMap((part) => {
      const [a, b] = part.split(':').map(Number);
      return b === undefined ? [a] : Array.from({ length: b - a + 1 }, (_, i) => a + i);
    }));
}

/** Until the reader has no command in flight or queued (a bounded poll: what it asked ahead has come). */
async function settled(reader: LeanBodyReader): Promise<void> {
  const state = reader as unknown as { inFlight: number; queue: unknown[] };
  for (const deadline = Date.now() + 20_000; state.inFlight > 0 || state.queue.length > 0; ) {
    assert.ok(Date.now() < deadline, `still ${state.inFlight} FETCH in flight after 20 s`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('IMAP lean reader: pipelined body FETCH', function () {
  let server: ScriptedImapServer | undefined;
  let reader: LeanBodyReader | undefined;
  const start = async (options: ScriptedImapOptions, auth?: { user: string; pass?: string; accessToken?: string }) => {
    server = await startScriptedImap(options);
    reader = new LeanBodyReader(session(server.port, auth));
    return { server, reader };
  };
  afterEach(async () => {
    await reader?.close();
    await server?.close();
    reader = undefined;
    server = undefined;
  });

  it('keeps several UID FETCHes in flight, EXAMINEs and never sets \\Seen, gives bytes, flags and dates as sent', async () => {
    // The server answers no FETCH before three wait: one command at a time would never be answered.
    const { server, reader } = await start({ messages: messages(300), holdUntilFetches: 3 });
    const list = listing([...messages(300).keys()]);
    const read = await readAll(reader, list);
    assert.equal(read.length, 300);
    for (let i = 0; i < 300; i++) {
      const c = read[i] as ItemContent;
      assert.deepEqual(c.data, bodyOf(i + 1));
      assert.deepEqual(c.flags, ['\\Seen', `$K${i + 1}`]);
      assert.equal(c.date.getTime(), new Date(`0${((i + 1) % 9) + 1}-Mar-2024 10:0${(i + 1) % 10}:00 +0100`).getTime());
    }
    assert.ok(server.maxFetchesWaiting >= 3, `at most ${server.maxFetchesWaiting} FETCH in flight`);
    const sent = server.commands.map((c) => c.split(' ').slice(1).join(' '));
    assert.deepEqual(sent.filter((c) => /^(SELECT|EXAMINE)/i.test(c)), ['EXAMINE "INBOX"']);
    assert.ok(sent.filter((c) => /FETCH/i.test(c)).every((c) => /^UID FETCH \S+ \(UID FLAGS INTERNALDATE BODY\.PEEK\[\]\)$/.test(c)), sent.join('\n'));
  });

  it('asks at most LEAN_AHEAD.items small messages ahead of the reader, in whole commands, each once', async () => {
    // 8 MiB of 3 KB messages is ~2,500 of them held: the byte bound alone let a 20,000-message pass peak ~10 MiB higher.
    const { server, reader } = await start({ messages: messages(2000) });
    const list = listing([...messages(2000).keys()]);
    assert.deepEqual(((await reader.read(request(list, 0), signal)) as ItemContent).data, bodyOf(1));
    await settled(reader);
    const asked = fetchedUids(server).length;
    assert.ok(asked <= LEAN_AHEAD.items + 1, `${asked} messages asked ahead of a reader at the first one`);
    assert.ok(asked >= LEAN_AHEAD.items - LEAN_AHEAD.groupItems, `only ${asked} messages asked ahead`);
    const rest = await readAll(reader, list.slice(1).map((_, i) => list[i + 1]));
    assert.equal(rest.length, 1999);
    const uids = fetchedUids(server);
    assert.equal(uids.length, 2000, 'each body fetched once');
    assert.equal(new Set(uids).size, 2000);
    const commands = server.commands.filter((c) => / UID FETCH /i.test(c)).length;
    assert.ok(commands <= Math.ceil(2000 / LEAN_AHEAD.groupItems) + 2, `${commands} FETCH commands for 2,000 messages`);
  });

  it('a listing given anew window by window (as the IMAP source gives it) fetches each body once, in order', async () => {
    // The source lists a folder in windows: the reader sees the window being copied with the one
    // before it, then with the one after it (a new array each time); what it asked ahead stays asked.
    const { server, reader } = await start({ messages: messages(1000) });
    const all = listing([...messages(1000).keys()]);
    const window = 150;
    const windowOf = (k: number) => all.slice(k * window, (k + 1) * window);
    const bodies: Buffer[] = [];
    for (let i = 0; i < all.length; i++) {
      const k = Math.floor(i / window);
      const late = i % window >= window / 2;
      const list = late ? windowOf(k).concat(windowOf(k + 1)) : windowOf(k - 1).concat(windowOf(k));
      const position = list.indexOf(all[i]);
      bodies.push(((await reader.read({ ...request(list, position) }, signal)) as ItemContent).data);
    }
    assert.deepEqual(bodies, [...messages(1000).values()]);
    const uids = fetchedUids(server);
    assert.equal(uids.length, 1000, `${uids.length} bodies fetched for 1,000 messages`);
    assert.equal(new Set(uids).size, 1000);
  });

  it('a refused command: each message is asked alone; the unreadable one is IMAP-NO, every other one is read', async () => {
    const { reader } = await start({ messages: messages(10), refused: new Set([5]) });
    const read = await readAll(reader, listing([...messages(10).keys()]));
    assert.deepEqual(
      read.map((r) => (typeof r === 'string' ? r : r?.data.toString('latin1').split('\r\n')[0])),
      [1, 2, 3, 4, 'IMAP-NO/item', 6, 7, 8, 9, 10].map((x) => (typeof x === 'number' ? `Subject: ${x}` : x)),
    );
  });

  it('a message the server does not have is gone, after a fresh EXAMINE; under another UIDVALIDITY the folder is renumbered (listed anew), a body kept elsewhere gone', async () => {
    const { server, reader } = await start({ messages: new Map([...messages(6)].filter(([uid]) => uid !== 4)) });
    const read = await readAll(reader, listing([1, 2, 3, 4, 5, 6]));
    assert.deepEqual(read.map((r) => r === undefined), [false, false, false, true, false, false]);
    assert.equal(server.commands.filter((c) => / EXAMINE /.test(c)).length, 2, 'asked again after a fresh EXAMINE');
    // The folder itself renumbered: these UIDs are other messages now; the engine lists it anew.
    const renumbered = await readAll(reader, listing([1, 2], '6'));
    assert.deepEqual(renumbered, ['IMAP-UIDVALIDITY/item', 'IMAP-UIDVALIDITY/item']);
    // Bodies located in another mailbox (Gmail's All Mail) under an old UIDVALIDITY: gone from this listing.
    const elsewhere = await readAll(reader, listing([1, 2], '5'), '[Gmail]/All Mail');
    assert.deepEqual(elsewhere, [undefined, undefined]);
  });

  it('BYE in the middle: a read it cut is a transient IMAP-DISCONNECT, a new connection reads the rest', async () => {
    const { server, reader } = await start({ messages: messages(200), byeAfterBodies: 70 });
    const list = listing([...messages(200).keys()]);
    const read = await readAll(reader, list);
    // Bodies asked ahead and cut are asked again by the next read (the one waiting then, if any, fails).
    const failed = read.filter((r) => typeof r === 'string');
    assert.ok(failed.length <= 1 && failed.every((r) => r === 'IMAP-DISCONNECT/transient'), failed.join(', '));
    // The engine retries a transient failure: every message is then read, on a second connection.
    for (let i = 0; i < 200; i++) if (typeof read[i] === 'string') read[i] = await reader.read(request(list, i), signal);
    assert.deepEqual(read.map((r) => (r as ItemContent).data), [...messages(200).values()]);
    assert.equal(server.connections, 2);
  });

  it('falls back to imapflow where it cannot log in as imapflow would, and says why', async () => {
    const { reader } = await start({ messages: messages(2), capabilities: 'IMAP4rev1 AUTH=CRAM-MD5 LOGINDISABLED' });
    assert.equal(await reader.read(request(listing([1, 2]), 0), signal), 'unavailable');
    assert.match(reader.unavailable ?? '', /LOGINDISABLED/);
    assert.equal(await reader.read(request(listing([1, 2]), 1), signal), 'unavailable', 'once unavailable, always');
    await reader.close();
    await server?.close();
    const preauth = await start({ messages: messages(1), greeting: '* PREAUTH [CAPABILITY IMAP4rev1] welcome\r\n' });
    assert.equal(await preauth.reader.read(request(listing([1]), 0), signal), 'unavailable');
    assert.match(preauth.reader.unavailable ?? '', /PREAUTH/);
  });

  it("opens its connection in a free slot of the endpoint's maxConnections, else leaves the folder to imapflow", async () => {
    const slots = new Limiter(2);
    const held = [await slots.acquire(), await slots.acquire()];
    server = await startScriptedImap({ messages: messages(3) });
    reader = new LeanBodyReader(session(server.port, undefined, slots));
    assert.equal(await reader.read(request(listing([1, 2, 3]), 0), signal), 'unavailable', 'no slot free');
    assert.equal(server.connections, 0);
    held.pop()!();
    assert.equal(await reader.read(request(listing([1, 2, 3]), 1), signal), 'unavailable', 'asked again at the next folder, not at every read');
    const other = { ...request(listing([1, 2, 3]), 0), folder: { ...FOLDER, id: 'Other' } };
    assert.deepEqual(((await reader.read(other, signal)) as ItemContent).data, bodyOf(1));
    assert.equal(slots.inUse, 2, 'the reader holds the slot');
    await reader.close();
    assert.equal(slots.inUse, 1, 'and gives it back when it closes');
  });

  it('prepare() logs in before the first read (the listing goes on meanwhile), and that read uses the connection', async () => {
    const slots = new Limiter(2);
    const held = [await slots.acquire(), await slots.acquire()];
    server = await startScriptedImap({ messages: messages(3) });
    reader = new LeanBodyReader(session(server.port, undefined, slots));
    reader.prepare(FOLDER.id);
    assert.equal(await reader.read(request(listing([1, 2, 3]), 0), signal), 'unavailable', 'no slot free: the folder goes to imapflow, as without prepare()');
    assert.equal(server.connections, 0);
    held.pop()!();
    const other = { ...request(listing([1, 2, 3]), 0), folder: { ...FOLDER, id: 'Other' } };
    reader.prepare(other.folder.id);
    const loggedIn = () => server!.commands.some((c) => /^\S+ (LOGIN|AUTHENTICATE) /i.test(c));
    for (const deadline = Date.now() + 20_000; !loggedIn(); await new Promise((resolve) => setTimeout(resolve, 5))) assert.ok(Date.now() < deadline, 'no login 20 s after prepare()');
    assert.equal(server.commands.some((c) => / (EXAMINE|UID FETCH) /i.test(c)), false, 'nothing read before the first read');
    reader.prepare(other.folder.id);
    assert.deepEqual(((await reader.read(other, signal)) as ItemContent).data, bodyOf(1));
    assert.equal(server.connections, 1, 'one connection: the one prepare() opened');
    await reader.close();
    assert.equal(slots.inUse, 1, 'its slot given back');
    reader.prepare(other.folder.id);
    assert.equal(server.connections, 1, 'nothing opened after close');
  });

  it('logs in with the mechanism imapflow picks', () => {
    const caps = (s: string) => new Set(s.split(' '));
    assert.equal(loginMechanism({ user: 'u', pass: 'p' }, caps('IMAP4REV1 AUTH=PLAIN')), 'plain');
    assert.equal(loginMechanism({ user: 'u', pass: 'p' }, caps('IMAP4REV1')), 'login');
    assert.equal(loginMechanism({ user: 'u', pass: 'p', loginMethod: 'LOGIN' }, caps('IMAP4REV1 AUTH=PLAIN')), 'login');
    assert.equal(loginMechanism({ user: 'dom\\u', pass: 'p' }, caps('IMAP4REV1 AUTH=PLAIN')), 'login');
    assert.equal(loginMechanism({ user: 'u', pass: 'p', loginMethod: 'AUTH=PLAIN', authzid: 'ann' }, caps('IMAP4REV1 AUTH=LOGIN')), 'plain');
    assert.equal(loginMechanism({ user: 'u', accessToken: 't' }, caps('IMAP4REV1 AUTH=XOAUTH2')), 'xoauth2');
    assert.ok(loginMechanism({ user: 'u', pass: 'p' }, caps('IMAP4REV1 AUTH=LOGIN')) instanceof LeanUnsupported);
    assert.ok(loginMechanism({ user: 'u', accessToken: 't' }, caps('IMAP4REV1 AUTH=XOAUTH2 AUTH=OAUTHBEARER')) instanceof LeanUnsupported);
  });
});
