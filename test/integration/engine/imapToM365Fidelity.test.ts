// Issue 11's acceptance: IMAP (Dovecot) to Microsoft 365 (the strict fake) with a mailbox of
// real-world messages (plain, HTML, multipart/alternative, an inline image, a 25 MB attachment, an
// S/MIME signed and an encrypted message, non-ASCII headers) arrives as received, non-draft messages; a comparison
// of source and destination, field by field, prints what was kept; delta moves 0, then exactly the
// new ones.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { compareMessages, formatFidelity } from '../../../src/connectors/mailFidelity';
import { resetTokenProviders } from '../../../src/connectors/m365/auth/tokenProvider';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { startDovecot, seedMessages, type DovecotServer } from '../../servers/dovecot';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { alternativeMessage, decrypted, encryptedMessage, htmlMessage, inlineImageMessage, largeAttachmentMessage, signatureVerifies, signedMessage } from '../../servers/realWorldMessages';
import { plainMessage, sampleMessages, type TestMessage } from '../../servers/testMessages';
import { imapToM365Project } from './imapToM365Project';

const MB = 1024 * 1024;

describe('engine: IMAP (Dovecot) -> Microsoft 365 (strict fake), real-world messages, field by field', function () {
  this.timeout(180_000);
  let server: DovecotServer;
  let t: TestTenant;
  const secrets: Record<string, string> = { SRC: 'src-pw' };
  const signed = signedMessage(7);
  const encrypted = encryptedMessage(8);
  const [plain, withAttachment, nonAscii] = sampleMessages();
  const mailbox: TestMessage[] = [
    plain,
    withAttachment,
    nonAscii,
    { ...htmlMessage(1), flags: ['\\Seen', '\\Flagged'] },
    { ...alternativeMessage(2), flags: [] },
    inlineImageMessage(3),
    { ...largeAttachmentMessage(4, 25 * MB), flags: ['\\Flagged'] },
    signed,
    encrypted,
  ];

  before(async () => {
    [server, t] = await Promise.all([startDovecot({ users: [{ user: 'ann@src.test', password: 'src-pw' }] }), startTestTenant(['ann@contoso.test'])]);
    secrets.M365_SECRET = t.secret;
    await seedMessages(server, 'ann@src.test', 'INBOX', mailbox.map((m) => ({ raw: m.raw, flags: m.flags, date: m.date })));
  });
  after(async () => {
    await server?.stop();
    await t?.fake.close();
    resetTokenProviders();
  });

  it('arrives as received messages, keeps every field it can, and delta copies 0 then exactly the new ones', async () => {
    const { plan, store, dir } = imapToM365Project(server.port, t, [['ann@src.test', 'ann@contoso.test']], 'Fidelity');
    const retry = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 200 };
    const run = (pass: 'full' | 'delta') => runPass({ plan, store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry });
    try {
      const full = await run('full');
      assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', mailbox.length], JSON.stringify(full.items));
      const user = t.fake.data.findUser(t.tenant, 'ann@contoso.test')!;
      const held = () => t.fake.data.mailbox(user.id).messages;
      assert.ok(held().every((m) => !m.isDraft), 'no drafts');

      const lost: string[] = [];
      for (const source of mailbox) {
        const m = held().find((x) => x.internetMessageId === source.messageId);
        assert.ok(m, `${source.kind} arrived`);
        const raw = fs.readFileSync(t.fake.data.emlPath(user.id, m.id));
        const state = (flags: string[]) => ({ read: flags.includes('\\Seen'), flagged: flags.includes('\\Flagged') });
        const rows = await compareMessages({ raw: source.raw, state: state(source.flags) }, { raw, state: { read: m.isRead, flagged: m.flagStatus === 'flagged' } });
        console.log(`  ${source.kind}:\n${formatFidelity(rows).replace(/^/gm, '    ')}`);
        lost.push(...rows.filter((r) => !r.kept).map((r) => `${source.kind}: ${r.field}`));
        if (source === signed) assert.ok(signatureVerifies(raw, signed.certificate), 'the signature verifies on the copy');
        if (source === encrypted) assert.match(decrypted(raw, encrypted.key, encrypted.certificate) ?? '', /This text is secret\./, 'the copy decrypts');
      }
      // Exchange keeps one body per message: the plain alternative is derived from the HTML again.
      assert.deepEqual(lost, ['Alternative bodies: body text']);
      const big = held().find((x) => x.internetMessageId === mailbox[6].messageId)!;
      assert.deepEqual(big.attachments?.map((a) => a.size), [25 * MB]);

      assert.equal((await run('delta')).totals.copied, 0);
      const fresh = [plainMessage(900), htmlMessage(901)];
      await seedMessages(server, 'ann@src.test', 'INBOX', fresh.map((m) => ({ raw: m.raw, flags: m.flags, date: m.date })));
      assert.equal((await run('delta')).totals.copied, 2);
      assert.equal(held().length, mailbox.length + 2);
      assert.equal(new Set(held().map((x) => x.internetMessageId)).size, mailbox.length + 2);
    } finally {
      store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
