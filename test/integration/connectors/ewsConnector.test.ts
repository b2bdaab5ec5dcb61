// The EWS connector on its own against the fake Exchange: a full-fidelity write cut between its
// UploadItems and the UpdateItem that marks it is found by findWritten (by Message-ID) and marked,
// so the engine does not write it again; a lost SyncState lists the folder again as a reset.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { exchangeConnector } from '../../../src/connectors/ews/ewsConnector';
import type { EwsDestination } from '../../../src/connectors/ews/ewsDestination';
import { uploadItem } from '../../../src/connectors/ews/ewsExportImport';
import { probeOf } from '../../../src/connectors/fingerprint';
import type { OpenMailboxRequest } from '../../../src/connectors/types';
import { createFakeEwsData, startFakeEws, type FakeEws } from '../../servers/fakeEws/server';
import { plainMessage } from '../../servers/testMessages';

const ORG = 'contoso.local';

describe('connectors: exchange (fake EWS)', function () {
  this.timeout(30_000);
  let ews: FakeEws;
  const signal = new AbortController().signal;

  before(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-conn-'));
    createFakeEwsData(dataDir, {
      users: [{ address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'pw', roles: ['ApplicationImpersonation'] }, { address: `ann@${ORG}`, login: 'CONTOSO\\ann', password: 'x' }, { address: `cat@${ORG}`, login: 'CONTOSO\\cat', password: 'x' }],
      mailboxes: { [`ann@${ORG}`]: { items: [1, 2, 3].map((n) => ({ folder: 'inbox', mime: plainMessage(900 + n).raw, isRead: n === 1 })) } },
    });
    ews = await startFakeEws({ dataDir });
  });
  after(async () => {
    await ews?.close();
  });

  const request = (mailbox: string): OpenMailboxRequest => ({
    endpoint: { name: 'onprem', type: 'exchange', settings: { type: 'exchange', url: ews.ewsUrl }, auth: { username: 'CONTOSO\\migadmin', password: { secret: 'EX' } }, nameRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } } },
    planDir: os.tmpdir(),
    mailbox,
    credentials: { secrets: new Map([['EX', 'pw']]) },
    signal,
    peerType: 'exchange',
  });

  it('finds and marks a full-fidelity item whose write was cut before its watermark', async () => {
    const source = await exchangeConnector.openSource(request(`ann@${ORG}`));
    const destination = (await exchangeConnector.openDestination(request(`cat@${ORG}`))) as EwsDestination;
    try {
      const inbox = (await source.listFolders()).find((f) => f.role === 'inbox')!;
      const [ref] = (await source.listItems(inbox, undefined, signal)).items;
      const content = await source.readItem(inbox, ref, signal);
      assert.equal(content.format, 'opaque');
      const target = await destination.ensureFolder(['Inbox'], 'inbox');
      const probe = probeOf(content, ref.messageId);
      assert.equal(await destination.findWritten(target, probe), undefined);
      // The cut: uploaded, never marked.
      const id = await uploadItem(destination.session, target, content.data, signal);
      const found = await destination.findWritten(target, probe);
      assert.equal(found?.id, id);
      const stored = [...ews.store.itemsOf(`cat@${ORG}`).values()].filter((i) => i.itemClass === 'IPM.Note');
      assert.equal(stored.length, 1);
      assert.ok(stored[0].extended.some((e) => e.uri.PropertyName === 'FerryWatermark' && e.value === probe.fingerprint), 'marked after the fact');
      assert.equal((await destination.findWritten(target, probe))?.id, id);
    } finally {
      await source.close();
      await destination.close();
    }
  });

  it('identical messages share a watermark: a copy that stands for another source item is passed over', async () => {
    const destination = (await exchangeConnector.openDestination({ ...request(`cat@${ORG}`), peerType: 'imap' })) as EwsDestination;
    try {
      const target = await destination.ensureFolder(['Twins'], undefined);
      const content = { format: 'rfc822' as const, data: plainMessage(950).raw, flags: [], date: plainMessage(950).date };
      const first = await destination.writeItem(target, content, signal);
      const second = await destination.writeItem(target, content, signal);
      const found = [await destination.findWritten(target, probeOf(content), new Set([first.id])), await destination.findWritten(target, probeOf(content), new Set([second.id]))];
      assert.deepEqual(found.map((f) => f?.id), [second.id, first.id]);
      assert.equal(await destination.findWritten(target, probeOf(content), new Set([first.id, second.id])), undefined);
    } finally {
      await destination.close();
    }
  });

  it('a message found by settling gets the source read state, both ways', async () => {
    const destination = (await exchangeConnector.openDestination({ ...request(`cat@${ORG}`), peerType: 'imap' })) as EwsDestination;
    try {
      const target = await destination.ensureFolder(['Settled'], undefined);
      const seed = plainMessage(960);
      const written = { format: 'rfc822' as const, data: seed.raw, flags: [], date: seed.date };
      await destination.writeItem(target, written, signal);
      const stored = () => [...ews.store.itemsOf(`cat@${ORG}`).values()].filter((i) => i.internetMessageId === seed.messageId);
      assert.deepEqual(stored().map((i) => (i.messageFlags & 1) !== 0), [false]);
      // Read at the source since: the found copy is marked read.
      const source = { ...written, flags: ['\\Seen'] };
      assert.ok(await destination.findWritten(target, { ...probeOf(source), flags: source.flags }));
      assert.deepEqual(stored().map((i) => (i.messageFlags & 1) !== 0), [true]);
      assert.ok(await destination.findWritten(target, { ...probeOf(written), flags: [] }));
      assert.deepEqual(stored().map((i) => (i.messageFlags & 1) !== 0), [false]);
    } finally {
      await destination.close();
    }
  });

  it('lists a folder again from the start when Exchange refuses its SyncState (a reset)', async () => {
    const source = await exchangeConnector.openSource({ ...request(`ann@${ORG}`), peerType: 'imap' });
    try {
      const inbox = (await source.listFolders()).find((f) => f.role === 'inbox')!;
      const first = await source.listItems(inbox, undefined, signal);
      assert.deepEqual([first.items.length, first.reset], [3, false]);
      const again = await source.listItems(inbox, { syncState: 'Zm9yZ2VkLXN0YXRl' }, signal);
      assert.deepEqual([again.items.length, again.reset], [3, true]);
      const delta = await source.listItems(inbox, first.cursor, signal);
      assert.deepEqual([delta.items.length, delta.reset], [0, false]);
    } finally {
      await source.close();
    }
  });

  it('copies as MIME when the destination says it takes no opaque items, asking it only once', async () => {
    let asked = 0;
    const refused = async () => (asked++, { accepted: false as const });
    const source = await exchangeConnector.openSource({ ...request(`ann@${ORG}`), peerAcceptsOpaque: refused });
    try {
      const inbox = (await source.listFolders()).find((f) => f.role === 'inbox')!;
      const [ref] = (await source.listItems(inbox, undefined, signal)).items;
      assert.equal((await source.readItem(inbox, ref, signal)).format, 'rfc822');
      assert.equal(asked, 1);
    } finally {
      await source.close();
    }
  });

  it('speaks the newest schema an older Exchange takes: 2010 SP2 exports, 2007 SP1 copies as MIME', async () => {
    for (const [serverVersion, format, exports] of [['Exchange2010_SP2', 'opaque', true], ['Exchange2007_SP1', 'rfc822', false]] as const) {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-old-'));
      createFakeEwsData(dataDir, {
        users: [{ address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'pw', roles: ['ApplicationImpersonation'] }, { address: `ann@${ORG}`, login: 'CONTOSO\\ann', password: 'x' }],
        mailboxes: { [`ann@${ORG}`]: { items: [{ folder: 'inbox', mime: plainMessage(950).raw }] } },
        config: { serverVersion },
      });
      const old = await startFakeEws({ dataDir });
      try {
        const req = request(`ann@${ORG}`);
        const source = await exchangeConnector.openSource({ ...req, endpoint: { ...req.endpoint, settings: { type: 'exchange', url: old.ewsUrl } } });
        const inbox = (await source.listFolders()).find((f) => f.role === 'inbox')!;
        const [ref] = (await source.listItems(inbox, undefined, signal)).items;
        assert.equal((await source.readItem(inbox, ref, signal)).format, format, serverVersion);
        assert.equal((old.stats().operations.ExportItems ?? 0) > 0, exports, serverVersion);
        await source.close();
        // As a destination the server says whether it takes opaque items (UploadItems), and why not.
        const destination = await exchangeConnector.openDestination({ ...req, endpoint: { ...req.endpoint, settings: { type: 'exchange', url: old.ewsUrl } } });
        const answer = await destination.acceptsOpaque!();
        assert.deepEqual([answer.accepted, answer.accepted ? undefined : answer.reason?.code], exports ? [true, undefined] : [false, 'EWS-EXPORT-UNSUPPORTED'], serverVersion);
        await destination.close();
      } finally {
        await old.close();
      }
    }
  });
});
