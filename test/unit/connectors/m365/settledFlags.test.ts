// A message found at the destination by settling (written before a kill, or by an earlier pass)
// ends with the source item's read and flag state, not the state it was written with (issue 18
// left this to Exchange and Microsoft 365): one PATCH when they differ, none when they agree.
import * as assert from 'node:assert/strict';
import { resetTokenProviders } from '../../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../../src/connectors/m365/m365Connector';
import { probeOf } from '../../../../src/connectors/fingerprint';
import { plainMessage } from '../../../servers/testMessages';
import { startTestTenant, type TestTenant } from '../../../servers/fakeM365/testTenant';

describe('Microsoft 365: a message found by settling gets the source flags', function () {
  this.timeout(30_000);
  let t: TestTenant;
  const signal = new AbortController().signal;

  before(async () => {
    t = await startTestTenant(['ann@contoso.test']);
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });

  const messages = () => t.fake.data.mailbox(t.fake.data.findUser(t.tenant, 'ann@contoso.test')!.id).messages;

  it('sets read and flagged on the found message when the source has them, and changes nothing when they agree', async () => {
    const d = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const seed = plainMessage(4100);
    const written = { format: 'rfc822' as const, data: seed.raw, flags: [], date: seed.date };
    await d.writeItem(inbox, written, signal);
    assert.deepEqual(messages().map((m) => [m.isRead, m.flagStatus]), [[false, 'notFlagged']]);
    // Meanwhile the user read and flagged it at the source: the rerun finds the copy and brings the state over.
    const source = { ...written, flags: ['\\Seen', '\\Flagged'] };
    const found = await d.findWritten(inbox, { ...probeOf(source, seed.messageId), flags: source.flags });
    assert.ok(found);
    assert.deepEqual(messages().map((m) => [m.isRead, m.flagStatus]), [[true, 'flagged']]);
    const before = t.fake.graph.requests;
    assert.ok(await d.findWritten(inbox, { ...probeOf(source, seed.messageId), flags: source.flags }));
    assert.equal(t.fake.graph.requests - before, 1, 'only the lookup: no PATCH when the state agrees');
    await d.close();
  });
});
