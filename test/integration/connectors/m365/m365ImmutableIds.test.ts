// Ids Ferry records survive a user moving the item during the migration: the connector asks for
// immutable ids (Prefer: IdType="ImmutableId") on every request, so a message listed before its
// move is still read by the same id after it, on the source and on the destination.
import * as assert from 'node:assert/strict';
import { m365Connector } from '../../../../src/connectors/m365/m365Connector';
import { resetTokenProviders } from '../../../../src/connectors/m365/auth/tokenProvider';
import { plainMessage } from '../../../servers/testMessages';
import { startTestTenant, type TestTenant } from '../../../servers/fakeM365/testTenant';
import { request, tokenRequest } from '../../../unit/connectors/m365/fakeHttp';

const signal = new AbortController().signal;

describe('m365 connector: immutable ids (fake)', function () {
  this.timeout(30_000);
  let t: TestTenant;

  before(async () => {
    t = await startTestTenant(['ann@contoso.test']);
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });

  /** What a user's mail client does: a move without asking for immutable ids. */
  async function userMoves(id: string, destinationId: string): Promise<void> {
    const token = String((await tokenRequest(t.fake.url, t.fake.caPem, t.tenant.id, t.app.clientId, t.secret)).json().access_token);
    const moved = await request(`${t.fake.url}/v1.0/users/ann@contoso.test/messages/${id}/move`, t.fake.caPem, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ destinationId }) });
    assert.equal(moved.status, 201);
  }

  it('reads a listed message by its id after the user moved it to another folder', async () => {
    const ann = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const inbox = await ann.ensureFolder(['INBOX'], 'inbox');
    const other = await ann.ensureFolder(['Elsewhere'], undefined);
    const m = plainMessage(41);
    const written = await ann.writeItem(inbox, { format: 'rfc822', data: m.raw, flags: ['\\Seen'], date: m.date }, signal);
    const source = await m365Connector.openSource(t.request('ann@contoso.test'));
    const listed = (await source.listFolders()).find((f) => f.path.join('/') === 'Inbox')!;
    const [ref] = (await source.listItems(listed, undefined, signal)).items;
    assert.equal(ref.id, written.id, 'the id written is the id listed');
    await userMoves(ref.id, other.id);
    const read = await source.readItem(listed, ref, signal);
    assert.match(read.data.toString('utf8'), /Subject: Plain message 41/);
  });
});
