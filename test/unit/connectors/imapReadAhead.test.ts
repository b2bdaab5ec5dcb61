// The IMAP source's read-ahead along a large listing: finding where the item asked for is in the
// listing must cost a step per item, not a scan of the listing per batch (a folder of 200,000 would
// be thousands of batches times 100,000 comparisons). Counted, not timed.
import * as assert from 'node:assert/strict';
import type { ItemRef } from '../../../src/connectors/types';
import { expandUidSet } from '../../../src/connectors/imap/imapMultiAppend';
import type { ImapSession } from '../../../src/connectors/imap/imapSession';
import { ImapSource } from '../../../src/connectors/imap/imapSource';

const FOLDER = { id: 'INBOX', path: ['INBOX'], itemType: 'mail' as const };
const COUNT = 20_000;

/** A session whose one folder holds COUNT tiny messages (UIDs 1..COUNT); counts the FETCH commands. */
function fakeSession(): { session: ImapSession; fetches: () => number } {
  let fetches = 0;
  const client = {
    mailbox: { uidValidity: 7n, exists: COUNT },
    fetchAll: async (set: string) => {
      fetches++;
      return expandUidSet(set)!.map((uid) => ({ uid, flags: new Set(['\\Seen']), internalDate: new Date(0), source: Buffer.from(`Subject: ${uid}\r\n\r\nbody\r\n`) }));
    },
  };
  const session = {
    context: { host: 'fake' },
    inFolder: async <T>(_folder: string, _readOnly: boolean, _command: string, work: (c: unknown) => Promise<T>) => work(client),
  };
  return { session: session as unknown as ImapSession, fetches: () => fetches };
}

describe('IMAP source read-ahead', () => {
  it('reads a listing of 20,000 in listing order with a few steps per item', async () => {
    const { session, fetches } = fakeSession();
    const source = new ImapSource(session);
    let idReads = 0;
    const refs: ItemRef[] = Array.from({ length: COUNT }, (_, i) => {
      const id = `7:${i + 1}`;
      return {
        get id() {
          idReads++;
          return id;
        },
        sizeBytes: 30,
        date: new Date(0),
        flags: ['\\Seen'],
        itemType: 'mail',
      };
    });
    // What listItems keeps for read-ahead (the listing itself is another test's subject).
    (source as unknown as { listed: Map<string, ItemRef[]> }).listed.set(FOLDER.id, refs);
    const signal = new AbortController().signal;
    for (const ref of refs) {
      const content = await source.readItem(FOLDER, ref, signal);
      assert.equal(content.data.toString().split('\r\n')[0], `Subject: ${ref.id.split(':')[1]}`);
    }
    // Each item is read once by the engine's loop above and a few times by the read-ahead; a scan
    // of the listing per batch would read ids about COUNT * COUNT / 128 times (3 million here).
    assert.ok(idReads < 10 * COUNT, `ids read ${idReads} times for ${COUNT} items`);
    assert.ok(fetches() <= Math.ceil(COUNT / 64) + 1, `${fetches()} FETCH commands for ${COUNT} items`);
  });
});
