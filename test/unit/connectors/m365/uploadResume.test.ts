// Large attachments into Microsoft 365 go through upload sessions. A range whose answer is lost
// (it landed, the client was not told) is not sent again blindly (the service answers 416 for a
// range that does not start at the next byte): Ferry asks the session where to go on
// (nextExpectedRanges, "Resume a file upload"); a session that expired meanwhile (404) is started
// anew. Either way the message gets its attachment once, byte for byte.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { resetTokenProviders } from '../../../../src/connectors/m365/auth/tokenProvider';
import { m365Connector } from '../../../../src/connectors/m365/m365Connector';
import { uploadSessionClock } from '../../../servers/fakeM365/graphAttachments';
import { startTestTenant, type TestTenant } from '../../../servers/fakeM365/testTenant';

const MB = 1024 * 1024;

/** A message with one attachment of `size` bytes (over 4 MB: the attachment goes through an upload session). */
function withAttachment(n: number, size: number): { raw: Buffer; bytes: Buffer } {
  const bytes = Buffer.alloc(size);
  for (let i = 0; i < size; i++) bytes[i] = (i * 31 + n) & 0xff;
  const b64 = bytes.toString('base64').replace(/.{76}/g, '$&\r\n');
  const raw = [
    'From: Ann <ann@source.example>',
    'To: Bob <bob@source.example>',
    `Subject: Large attachment ${n}`,
    'Date: Thu, 01 Jan 2026 10:00:00 +0000',
    `Message-ID: <large-${n}@ferry.test>`,
    'MIME-Version: 1.0',
    'Content-Type: multipart/mixed; boundary="b1"',
    '',
    '--b1',
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'See the attachment.',
    '--b1',
    'Content-Type: application/octet-stream; name="data.bin"',
    'Content-Disposition: attachment; filename="data.bin"',
    'Content-Transfer-Encoding: base64',
    '',
    b64,
    '--b1--',
    '',
  ].join('\r\n');
  return { raw: Buffer.from(raw, 'latin1'), bytes };
}

describe('Microsoft 365: upload sessions resume where the service says', function () {
  this.timeout(60_000);
  let t: TestTenant;
  const signal = new AbortController().signal;

  before(async () => {
    t = await startTestTenant(['ann@contoso.test', 'bob@contoso.test']);
  });
  afterEach(() => {
    t.fake.faults.clear();
    uploadSessionClock.now = () => Date.now();
  });
  after(async () => {
    await t?.fake.close();
    resetTokenProviders();
  });

  const attachmentsOf = (user: string) => {
    const id = t.fake.data.findUser(t.tenant, user)!.id;
    return t.fake.data.mailbox(id).messages.flatMap((m) => (m.attachments ?? []).map((a) => ({ size: a.size, bytes: fs.readFileSync(t.fake.data.attachmentPath(id, m, a.id)) })));
  };

  it('a range stored whose answer was lost: goes on from nextExpectedRanges, the attachment once and whole', async () => {
    const d = await m365Connector.openDestination(t.request('ann@contoso.test'));
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const { raw, bytes } = withAttachment(1, 9 * MB);
    // The second range lands, its answer never comes back.
    t.fake.faults.cutAnswers({ method: 'PUT', path: /AttachmentSessions/ }, 1, 1);
    const served = t.fake.faults.served;
    await d.writeItem(inbox, { format: 'rfc822', data: raw, flags: ['\\Seen'], date: new Date('2026-01-01T10:00:00Z') }, signal);
    assert.equal(t.fake.faults.served, served + 1, 'the cut was served');
    const attached = attachmentsOf('ann@contoso.test');
    assert.equal(attached.length, 1);
    assert.ok(attached[0].bytes.equals(bytes), 'the attachment differs from the source');
    await d.close();
  });

  it('a session that expired between two ranges: a new session from byte 0, the attachment once and whole', async () => {
    const d = await m365Connector.openDestination(t.request('bob@contoso.test'));
    const inbox = await d.ensureFolder(['INBOX'], 'inbox');
    const { raw, bytes } = withAttachment(2, 9 * MB);
    // The first range's answer is lost and, meanwhile, the session expires (its clock moves 16 minutes on).
    t.fake.faults.cutAnswers({ method: 'PUT', path: /AttachmentSessions/ }, 1);
    const realNow = Date.now;
    const cut = t.fake.faults.served;
    uploadSessionClock.now = () => realNow() + (t.fake.faults.served > cut ? 16 * 60_000 : 0);
    await d.writeItem(inbox, { format: 'rfc822', data: raw, flags: [], date: new Date('2026-01-01T10:00:00Z') }, signal);
    const attached = attachmentsOf('bob@contoso.test');
    assert.equal(attached.length, 1);
    assert.ok(attached[0].bytes.equals(bytes), 'the attachment differs from the source');
    await d.close();
  });
});
