// Fidelity through Microsoft 365 (the fake): Maildir -> M365 -> Maildir keeps every message's
// content field by field (Exchange renders its own MIME, so not byte for byte: compareMessages),
// read and flagged state and received date, lands nothing as a draft, maps role folders to the
// well-known ones, and finds written items again by watermark.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { probeOf } from '../../../../src/connectors/fingerprint';
import { compareMessages } from '../../../../src/connectors/mailFidelity';
import { m365Connector } from '../../../../src/connectors/m365/m365Connector';
import { maildirConnector } from '../../../../src/connectors/maildir/maildirConnector';
import type { DestinationMailbox, SourceMailbox } from '../../../../src/connectors/types';
import { sampleMessages } from '../../../servers/testMessages';
import { startTestTenant, type TestTenant } from '../../../servers/fakeM365/testTenant';
import { copyMailbox, maildirRequest, snapshot, type MessageSnapshot } from '../../../unit/connectors/connectorHarness';

const signal = new AbortController().signal;
const FOLDERS = [['INBOX'], ['Projets', 'Été 2026'], ['Sent']];
/** What Graph carries of IMAP flags: read and flagged. */
const KEPT = new Set(['\\Seen', '\\Flagged']);

const subjectOf = (m: MessageSnapshot) => /^Subject:(.*)$/im.exec(m.content)?.[1] ?? '';

/** Every message of every folder, flags reduced to what Graph keeps, sorted by date and subject. */
function allMessages(snap: Map<string, MessageSnapshot[]>): MessageSnapshot[] {
  return [...snap.values()]
    .flat()
    .map((m) => ({ ...m, flags: m.flags.filter((f) => KEPT.has(f)) }))
    .sort((a, b) => a.date - b.date || subjectOf(a).localeCompare(subjectOf(b)));
}

/** Pairs of the same message on two sides: flags and dates equal, content field by field (what was not kept). */
async function lostFields(original: MessageSnapshot[], copy: MessageSnapshot[]): Promise<string[]> {
  assert.deepEqual(
    copy.map((m) => [m.date, m.flags, subjectOf(m)]),
    original.map((m) => [m.date, m.flags, subjectOf(m)]),
  );
  const lost: string[] = [];
  for (const [i, m] of original.entries()) {
    const rows = await compareMessages({ raw: Buffer.from(m.content, 'latin1') }, { raw: Buffer.from(copy[i].content, 'latin1') });
    lost.push(...rows.filter((r) => !r.kept).map((r) => `${subjectOf(m).trim()}: ${r.field}`));
  }
  return [...new Set(lost)].sort();
}

describe('connectors: Maildir -> Microsoft 365 (fake) -> Maildir', function () {
  this.timeout(20_000);
  let t: TestTenant;
  // Every JSON body the fake sent was held against Graph's v1.0 metadata (graphSchema.ts): none deviated.
  afterEach(() => assert.deepEqual(t?.fake.graph.deviations ?? [], []));
  let dir: string;
  const open: (SourceMailbox | DestinationMailbox)[] = [];
  const track = <T extends SourceMailbox | DestinationMailbox>(m: T) => (open.push(m), m);

  before(async () => {
    [t, dir] = await Promise.all([startTestTenant(['ann@contoso.test', 'bea@contoso.test']), fs.mkdtemp(path.join(os.tmpdir(), 'ferry-m365-roundtrip-'))]);
  });
  after(async () => {
    await Promise.all(open.splice(0).map((m) => m.close()));
    await t?.fake.close();
    if (dir) await fs.rm(dir, { recursive: true, force: true });
  });

  it('carries content, read and flagged state, received dates and folders both ways; only a draft is a draft', async () => {
    const seed = track(await maildirConnector.openDestination(maildirRequest(dir, 'source', 'ann@a.test')));
    for (const folderPath of FOLDERS) {
      const folder = await seed.ensureFolder(folderPath, undefined);
      for (const m of sampleMessages()) await seed.writeItem(folder, { format: 'rfc822', data: m.raw, flags: m.flags, date: m.date }, signal);
    }
    const maildirSource = track(await maildirConnector.openSource(maildirRequest(dir, 'source', 'ann@a.test')));
    const m365 = track(await m365Connector.openDestination(t.request('ann@contoso.test')));
    await copyMailbox(maildirSource, m365);

    const user = t.fake.data.findUser(t.tenant, 'ann@contoso.test')!;
    const box = t.fake.data.mailbox(user.id);
    assert.equal(box.messages.length, FOLDERS.length * 5);
    // Received mail is never a draft; a source draft (\\Draft) stays one (MSGFLAG_UNSENT in the creating request).
    const drafts = sampleMessages().filter((m) => m.flags.includes('\\Draft')).length;
    assert.equal(box.messages.filter((m) => m.isDraft).length, FOLDERS.length * drafts, 'only the source\'s drafts are drafts');
    // Role folders went to the well-known ones, not to new folders named INBOX or Sent.
    const names = (id: string) => box.folders.find((f) => f.id === id)!.wellKnownName ?? box.folders.find((f) => f.id === id)!.displayName;
    assert.deepEqual([...new Set(box.messages.map((m) => names(m.folderId)))].sort(), ['inbox', 'sentitems', 'Été 2026'].sort());

    const m365Source = track(await m365Connector.openSource(t.request('ann@contoso.test')));
    await copyMailbox(m365Source, track(await maildirConnector.openDestination(maildirRequest(dir, 'back', 'ann@a.test', 'fs'))));
    const back = track(await maildirConnector.openSource(maildirRequest(dir, 'back', 'ann@a.test', 'fs')));

    const original = allMessages(await snapshot(maildirSource));
    assert.equal(original.length, 15);
    const lost = await lostFields(original, allMessages(await snapshot(m365Source)));
    assert.deepEqual(lost, []);
    assert.deepEqual(await lostFields(original, allMessages(await snapshot(back))), lost);
  });

  // A mailbox of its own: the round trip above counts every message of ann's.
  it('finds a written message again by Message-ID or by watermark, and not a foreign one', async () => {
    const m365 = track(await m365Connector.openDestination(t.request('bea@contoso.test')));
    const folder = await m365.ensureFolder(['Found'], undefined);
    const [withId, , , , withoutId] = sampleMessages();
    for (const m of [withId, withoutId]) {
      const content = { format: 'rfc822' as const, data: m.raw, flags: m.flags, date: m.date };
      const written = await m365.writeItem(folder, content, signal);
      assert.deepEqual(await m365.findWritten(folder, probeOf(content)), written);
    }
    // Identical messages: a copy that stands for another source item is passed over.
    for (const m of [withId, withoutId]) {
      const content = { format: 'rfc822' as const, data: m.raw, flags: m.flags, date: m.date };
      const [first, second] = [await m365.findWritten(folder, probeOf(content)), await m365.writeItem(folder, content, signal)];
      assert.deepEqual(await m365.findWritten(folder, probeOf(content), new Set([first!.id])), second);
      assert.equal(await m365.findWritten(folder, probeOf(content), new Set([first!.id, second.id])), undefined);
    }
    const other = { format: 'rfc822' as const, data: Buffer.from('Subject: other\r\n\r\nnot written\r\n'), flags: [], date: new Date() };
    assert.equal(await m365.findWritten(folder, probeOf(other)), undefined);
    // A folder another run created meanwhile (409 ErrorFolderExists) is found, not an error.
    const second = track(await m365Connector.openDestination(t.request('bea@contoso.test')));
    await second.listFolders();
    const late = await m365.ensureFolder(['Late'], undefined);
    assert.equal((await second.ensureFolder(['Late'], undefined)).id, late.id);
  });
});
