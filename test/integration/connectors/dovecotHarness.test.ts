// The test server itself: quick to start, the capabilities the connectors rely on, a clean stop.
import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { connectAs, seedMessages, startDovecot } from '../../servers/dovecot';
import { sampleMessages } from '../../servers/testMessages';

describe('test server: Dovecot harness', function () {
  this.timeout(20_000);

  it('starts, advertises what the connectors use, seeds, and stops by pid', async () => {
    const started = Date.now();
    const server = await startDovecot({ users: [{ user: 'ann', password: 'pw' }] });
    // A figure, not an assertion: a loaded machine is slower.
    console.log(`      Dovecot started in ${Date.now() - started} ms`);
    try {
      assert.match(server.version, /^2\.3\./);
      const messages = sampleMessages();
      assert.deepEqual(await seedMessages(server, 'ann', 'A/B', messages), [1, 2, 3, 4, 5]);
      const client = await connectAs(server, 'ann');
      for (const capability of ['UIDPLUS', 'CONDSTORE', 'QRESYNC', 'MOVE', 'SPECIAL-USE', 'QUOTA']) assert.ok(client.capabilities.has(capability), capability);
      await client.mailboxOpen('A/B', { readOnly: true });
      const fetched = await client.fetchAll('1:*', { internalDate: true, source: true });
      await client.logout();
      // Dovecot hands messages back with CRLF line endings, whatever was appended.
      assert.deepEqual(
        fetched.map((m) => m.source?.toString('latin1')),
        messages.map((m) => m.raw.toString('latin1').replace(/\r?\n/g, '\r\n')),
      );
      assert.deepEqual(fetched.map((m) => (m.internalDate as Date).getTime()), messages.map((m) => m.date.getTime()));
    } finally {
      await server.stop();
    }
    assert.equal(existsSync(server.dir), false);
    assert.throws(() => process.kill(server.pid, 0), /ESRCH/);
  });
});
