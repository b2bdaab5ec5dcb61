// Fidelity end to end: Maildir -> IMAP (Dovecot) -> Maildir keeps every message's content (modulo
// line endings: Dovecot returns CRLF), flags, keywords, internal dates and folder names; and the
// Maildir connector reads the Maildir Dovecot itself wrote.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { imapConnector } from '../../../src/connectors/imap/imapConnector';
import { maildirConnector } from '../../../src/connectors/maildir/maildirConnector';
import type { DestinationMailbox, SourceMailbox } from '../../../src/connectors/types';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { malformedMessage, sampleMessages } from '../../servers/testMessages';
import { copyMailbox, imapRequest, maildirRequest, snapshot, type MessageSnapshot } from '../../unit/connectors/connectorHarness';

const signal = new AbortController().signal;
const FOLDERS = [['INBOX'], ['Projets', 'Été 2026'], ['Входящие', 'Архив'], ['Sent']];

/** Folders that hold messages (parents created on the way are empty on one side only). */
const nonEmpty = (snap: Map<string, MessageSnapshot[]>) => new Map([...snap].filter(([, messages]) => messages.length > 0));

describe('connectors: Maildir -> IMAP -> Maildir round trip (Dovecot)', function () {
  this.timeout(20_000);
  let server: DovecotServer;
  let dir: string;
  const open: (SourceMailbox | DestinationMailbox)[] = [];
  const track = <T extends SourceMailbox | DestinationMailbox>(m: T) => (open.push(m), m);

  before(async () => {
    // Each test its own IMAP user (any order, any subset).
    [server, dir] = await Promise.all([startDovecot({ users: [{ user: 'bob', password: 'bob-pw' }, { user: 'cid', password: 'cid-pw' }] }), fs.mkdtemp(path.join(os.tmpdir(), 'ferry-roundtrip-'))]);
  });
  const imapUser = (user: string) => imapRequest('127.0.0.1', server.port, user, { username: user, password: { secret: 'PW' } }, { PW: `${user}-pw` });
  /** The sample messages in every folder of FOLDERS, in a Maildir `dir/<root>/ann@a.test`; its source. */
  async function sampleMaildir(root: string): Promise<SourceMailbox> {
    const seed = track(await maildirConnector.openDestination(maildirRequest(dir, root, 'ann@a.test')));
    for (const folderPath of FOLDERS) {
      const folder = await seed.ensureFolder(folderPath, undefined);
      for (const m of sampleMessages()) await seed.writeItem(folder, { format: 'rfc822', data: m.raw, flags: m.flags, date: m.date }, signal);
    }
    return track(await maildirConnector.openSource(maildirRequest(dir, root, 'ann@a.test')));
  }
  after(async () => {
    await Promise.all(open.splice(0).map((m) => m.close()));
    await server?.stop();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('carries content, flags, keywords, dates and nested non-ASCII folders both ways', async () => {
    const maildirSource = await sampleMaildir('source');
    const bob = imapUser('bob');
    const copiedUp = await copyMailbox(maildirSource, track(await imapConnector.openDestination(bob)));
    assert.equal([...copiedUp.values()].reduce((a, b) => a + b, 0), FOLDERS.length * 5);

    const imapSource = track(await imapConnector.openSource(bob));
    await copyMailbox(imapSource, track(await maildirConnector.openDestination(maildirRequest(dir, 'back', 'ann@a.test', 'fs'))));
    const back = track(await maildirConnector.openSource(maildirRequest(dir, 'back', 'ann@a.test', 'fs')));

    const original = nonEmpty(await snapshot(maildirSource));
    assert.deepEqual([...original.keys()].sort(), ['INBOX', 'Projets/Été 2026', 'Sent', 'Входящие/Архив']);
    assert.deepEqual(nonEmpty(await snapshot(imapSource)), original);
    assert.deepEqual(nonEmpty(await snapshot(back)), original);

    // The malformed message (bare LF, a boundary that never closes, no final newline) arrives intact.
    const malformed = malformedMessage();
    const arrived = original.get('Projets/Été 2026')!.find((m) => m.date === malformed.date.getTime());
    assert.ok(arrived);
    assert.equal(arrived.content, malformed.raw.toString('latin1').replace(/\r?\n/g, '\r\n'));
  });

  it("reads the Maildir Dovecot wrote: its modified UTF-7 names, dovecot-keywords and flags", async () => {
    await copyMailbox(await sampleMaildir('source-cid'), track(await imapConnector.openDestination(imapUser('cid'))));
    // Dovecot keeps each user's Maildir++ under <dir>/mail/<user>: open it as a maildir endpoint.
    const onDisk = track(await maildirConnector.openSource(maildirRequest(server.dir, 'mail', 'cid')));
    const imapSource = track(await imapConnector.openSource(imapUser('cid')));
    const fromDisk = nonEmpty(await snapshot(onDisk));
    assert.deepEqual([...fromDisk.keys()].sort(), ['INBOX', 'Projets/Été 2026', 'Sent', 'Входящие/Архив']);
    // Dovecot's files hold LF line endings (the snapshot compares CRLF) and INTERNALDATE as the mtime.
    assert.deepEqual(fromDisk, nonEmpty(await snapshot(imapSource)));
  });
});
