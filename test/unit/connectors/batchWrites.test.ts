// Batch writes of the connectors that need no server: the Maildir destination's writeItems (all
// files of a batch or none) and the UID sets an IMAP server answers a MULTIAPPEND with.
import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { expandUidSet } from '../../../src/connectors/imap/imapMultiAppend';
import { maildirConnector } from '../../../src/connectors/maildir/maildirConnector';
import { probeOf } from '../../../src/connectors/fingerprint';
import { ConnectorError, type DestinationMailbox, type ItemContent } from '../../../src/connectors/types';
import { sampleMessages } from '../../servers/testMessages';
import { maildirRequest } from './connectorHarness';

const signal = new AbortController().signal;

describe('connectors: batch writes', () => {
  it('expands APPENDUID uid sets in order, and refuses anything else', () => {
    assert.deepEqual(expandUidSet('7'), [7]);
    assert.deepEqual(expandUidSet('4:6'), [4, 5, 6]);
    assert.deepEqual(expandUidSet('6:4'), [4, 5, 6]);
    assert.deepEqual(expandUidSet('1,3:4,9'), [1, 3, 4, 9]);
    for (const bad of ['', '1:', '*', '1:*', '1,,2', 'a', '1e5', '12345678901']) assert.equal(expandUidSet(bad), undefined, bad);
    assert.equal(expandUidSet('1:4294967295'), undefined, 'an absurd range is refused, not expanded');
  });

  describe('maildir writeItems', () => {
    let dir: string;
    let d: DestinationMailbox;
    const contents = (): ItemContent[] => sampleMessages().map((m) => ({ format: 'rfc822', data: m.raw, flags: m.flags, date: m.date }));
    const files = async (folder: string, sub: string) => (await fs.readdir(path.join(dir, 'dst', 'ann@a.test', folder, sub))).sort();

    beforeEach(async () => {
      dir = await fs.mkdtemp(path.join(os.tmpdir(), 'ferry-batch-'));
      d = await maildirConnector.openDestination(maildirRequest(dir, 'dst', 'ann@a.test'));
    });
    afterEach(async () => {
      await d.close();
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('writes every item with its flags and date, ids in order, findable afterwards', async () => {
      const folder = await d.ensureFolder(['Projets', 'Été 2026'], undefined);
      const batch = contents();
      const written = await d.writeItems!(folder, batch, signal);
      assert.equal(written.length, batch.length);
      const names = await files(folder.id, 'cur');
      assert.equal(names.length, batch.length);
      for (const [i, w] of written.entries()) {
        const name = names.find((n) => n.startsWith(`${w.id}:2,`));
        assert.ok(name, `item ${i} is ${w.id}`);
        const file = path.join(dir, 'dst', 'ann@a.test', folder.id, 'cur', name);
        assert.deepEqual(await fs.readFile(file), batch[i].data);
        assert.equal((await fs.stat(file)).mtime.getTime(), batch[i].date.getTime());
        assert.deepEqual(await d.findWritten(folder, probeOf(batch[i])), w);
      }
      assert.deepEqual(await files(folder.id, 'tmp'), []);
    });

    it('leaves nothing behind when the batch cannot be completed', async () => {
      const folder = await d.ensureFolder(['Broken'], undefined);
      // cur/ as a file: every rename into it fails after all of tmp/ was written.
      const cur = path.join(dir, 'dst', 'ann@a.test', folder.id, 'cur');
      await fs.rm(cur, { recursive: true });
      await fs.writeFile(cur, '');
      await assert.rejects(d.writeItems!(folder, contents(), signal), (e: unknown) => e instanceof ConnectorError);
      assert.deepEqual(await files(folder.id, 'tmp'), []);
    });
  });
});
