// A destination that creates an item before finishing it (a Microsoft 365 import, then the PATCH
// of its watermark) reports the id through WriteHooks.created: the engine keeps it on the intent,
// and findWritten gets it back, in the retry of the same pass and in the next pass after a kill.
// Also: the destination opens first and answers the source's question about opaque items once.
import * as assert from 'node:assert/strict';
import { contentFingerprint } from '../../../src/connectors/fingerprint';
import { ConnectorError, type Connector, type DestinationMailbox, type FolderInfo, type WrittenProbe } from '../../../src/connectors/types';
import { DestinationClaims } from '../../../src/engine/claims';
import { resolveIntents, type CopyTarget } from '../../../src/engine/copyItem';
import { fastRetry, harness, simplePlan } from './engineTestUtil';
import type { MemoryWorld } from './memoryConnector';

const ANN = 'ann@contoso.example';
const ANN_DST = 'ann@fabrikam.example';

/** The memory destination, made two-step: writeItem reports the id, then (once) loses the connection before finishing. */
function twoStepConnector(world: MemoryWorld, probes: WrittenProbe[], cutOnce: { done: boolean }): Connector {
  const base = world.connector();
  return {
    ...base,
    async openDestination(request): Promise<DestinationMailbox> {
      const destination = await base.openDestination(request);
      const unfinished = new Set<string>();
      return {
        ...destination,
        writeItem: async (folder, content, signal, hooks) => {
          const written = await destination.writeItem(folder, content, signal);
          hooks?.created?.(written.id);
          if (!cutOnce.done) {
            cutOnce.done = true;
            unfinished.add(written.id);
            throw new ConnectorError('GRAPH-503', 'connection lost before the watermark', 'transient');
          }
          return written;
        },
        // Like the M365 import: an unfinished item has no watermark, so only its id finds it.
        findWritten: async (folder, probe) => {
          probes.push(probe);
          const id = probe.destinationId;
          if (id === undefined || !world.mailboxes.get(request.mailbox)!.get(folder.id)!.messages.some((m) => m.id === id)) return undefined;
          unfinished.delete(id);
          return { id };
        },
      };
    },
  };
}

describe('engine: items created before they are finished (WriteHooks.created)', () => {
  it('a write cut after the create is finished by its id on the retry, not written twice', async () => {
    const h = harness(simplePlan(['ann']));
    for (let i = 0; i < 3; i++) h.world.add(ANN, ['INBOX'], `m ${i}`);
    const probes: WrittenProbe[] = [];
    const connector = twoStepConnector(h.world, probes, { done: false });
    const summary = await h.run('full', { connectors: async () => connector });
    assert.deepEqual([summary.items[0].status, summary.totals.copied], ['Completed', 3]);
    assert.deepEqual(h.world.subjects(ANN_DST, 'INBOX'), ['m 0', 'm 1', 'm 2']);
    assert.equal(probes.length, 1, 'one retry asked for the cut write');
    assert.ok(probes[0].destinationId, 'the retry knew the created id');
    assert.deepEqual(h.store.progress.intents(1), []);
  });

  it('after a kill the next pass gets the created id from the intent', async () => {
    const h = harness(simplePlan(['ann']));
    const m = h.world.add(ANN, ['INBOX'], 'kept');
    const folder: FolderInfo = { id: 'INBOX', path: ['INBOX'], itemType: 'mail' };
    // What a kill -9 after the import leaves: the intent, with the id the import answered.
    await h.run('verify');
    const itemId = h.store.items.findItem(1, `${ANN}`)!.id;
    const probe = { fingerprint: contentFingerprint(m.data), date: m.date.toISOString(), sizeBytes: m.data.length };
    h.store.progress.addIntent(itemId, 'INBOX', m.id, 'INBOX', probe);
    h.store.progress.noteCreated(itemId, 'INBOX', m.id, 'AAMk-imported');
    const asked: WrittenProbe[] = [];
    const destination = { findWritten: async (_f: FolderInfo, p: WrittenProbe) => (asked.push(p), p.destinationId ? { id: p.destinationId } : undefined) } as unknown as DestinationMailbox;
    const t = { store: h.store, destination, retry: fastRetry, signal: new AbortController().signal, itemId, passId: 1, claims: new DestinationClaims(h.store, itemId) } as unknown as CopyTarget;
    assert.equal(await resolveIntents(t, folder, folder), 1);
    assert.equal(asked[0].destinationId, 'AAMk-imported');
    assert.equal(asked[0].date.toISOString(), probe.date);
    assert.deepEqual(h.store.progress.intents(itemId), []);
    assert.deepEqual([...h.store.progress.copiedAmong(itemId, 'INBOX', [m.id])], [m.id]);
  });

  it('opens the destination first; the source asks it about opaque items, once, and a refusal is one notice', async () => {
    const h = harness(simplePlan(['ann']));
    h.world.add(ANN, ['INBOX'], 'one');
    const base = h.world.connector();
    const order: string[] = [];
    let probes = 0;
    let sourceAttempts = 0;
    const connector: Connector = {
      ...base,
      async openDestination(request) {
        order.push('destination');
        const destination = await base.openDestination(request);
        const reason = new ConnectorError('GRAPH-403-IMPORT', 'no import permission', 'item', [request.mailbox, '403']);
        return { ...destination, acceptsOpaque: async () => (probes++, { accepted: false, reason }) };
      },
      async openSource(request) {
        order.push('source');
        // Asked twice per attempt and the first login fails transiently: still one question to the server.
        assert.deepEqual(await request.peerAcceptsOpaque?.(), await request.peerAcceptsOpaque?.());
        if (sourceAttempts++ === 0) throw new ConnectorError('GRAPH-503', 'busy', 'transient');
        return base.openSource(request);
      },
    };
    const summary = await h.run('full', { connectors: async () => connector });
    assert.deepEqual([summary.items[0].status, summary.totals.copied], ['Completed', 1]);
    assert.deepEqual(order, ['destination', 'source', 'source']);
    assert.equal(probes, 1);
    const notices = h.events.filter((e) => e.type === 'notice');
    // One refusal notice; the transient login failure is told as a wait (ENG-013), once.
    assert.deepEqual(notices.map((e) => e.type === 'notice' && [e.item, e.code]), [[ANN, 'GRAPH-403-IMPORT'], [ANN, 'ENG-013']]);
  });
});
