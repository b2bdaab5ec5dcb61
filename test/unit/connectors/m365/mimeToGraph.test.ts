// MIME to the Graph message that creates it received: recipients, HTML body with its cid: links,
// inline images with their Content-ID, attachments apart, the original header block, S/MIME as
// Exchange stores it (the signed entity byte for byte in smime.p7m; the CMS data of an encrypted
// one), IMAP keywords as categories; and the immutable-id preference merged into Prefer.
import * as assert from 'node:assert/strict';
import { withImmutableIds } from '../../../../src/connectors/m365/immutableIds';
import { categoriesOf, graphMailOf } from '../../../../src/connectors/m365/mimeToGraph';
import { encryptedMessage, inlineImageMessage, pattern, signedMessage } from '../../../servers/realWorldMessages';

describe('m365: MIME to a Graph message', function () {
  this.timeout(20_000);

  it('keeps recipients, the HTML body with cid: links, inline images and the header block', async () => {
    const m = inlineImageMessage(1);
    const mail = await graphMailOf(m.raw);
    assert.equal(mail.message.subject, 'Inline image');
    assert.deepEqual(mail.message.toRecipients?.map((r) => r.emailAddress?.address), ['bob@source.example', 'carol@source.example']);
    assert.deepEqual(mail.message.replyTo?.map((r) => r.emailAddress?.address), ['replies@source.example']);
    assert.equal(mail.message.internetMessageId, '<real-1@ferry.test>');
    assert.equal(mail.message.body?.contentType, 'html');
    assert.match(String(mail.message.body?.content), /src="cid:logo-1@ferry\.test"/);
    assert.deepEqual(mail.attachments.map((a) => [a.name, a.isInline, a.contentId, a.bytes.equals(pattern(2048, 3))]), [['logo.png', true, 'logo-1@ferry.test', true]]);
    assert.match(mail.headers, /^Received: from mx\.source\.example/);
    assert.match(mail.headers, /\r\nX-Mailer: Ferry test generator/);
    assert.equal(mail.messageClass, undefined);
  });

  it('stores S/MIME as Exchange does: the signed entity byte for byte, the encrypted CMS data', async () => {
    const signed = signedMessage(1);
    const s = await graphMailOf(signed.raw);
    assert.equal(s.messageClass, 'IPM.Note.SMIME.MultipartSigned');
    assert.deepEqual(s.attachments.map((a) => [a.name, a.contentType]), [['smime.p7m', 'multipart/signed']]);
    const entity = s.attachments[0].bytes.toString('latin1');
    assert.match(entity, /^Content-Type: multipart\/signed;/);
    assert.ok(signed.raw.toString('latin1').endsWith(entity.slice(entity.indexOf('\r\n\r\n') + 4)), 'the signed body, byte for byte');
    const encrypted = await graphMailOf(encryptedMessage(1).raw);
    assert.equal(encrypted.messageClass, 'IPM.Note.SMIME');
    assert.deepEqual(encrypted.attachments.map((a) => [a.name, a.contentType, a.bytes[0]]), [['smime.p7m', 'application/pkcs7-mime', 0x30]], 'DER data (a SEQUENCE)');
  });

  it('takes IMAP keywords as categories, and adds the immutable-id preference to Prefer', () => {
    assert.deepEqual(categoriesOf(['\\Seen', '$Forwarded', 'Work', 'Project-X']), ['Work', 'Project-X']);
    assert.deepEqual(categoriesOf(['\\Seen', '$Important', '$Junk']), ['Important'], 'Gmail\'s Important (RFC 8457) as a category');
    assert.equal(withImmutableIds(undefined), 'IdType="ImmutableId"');
    assert.equal(withImmutableIds('odata.maxpagesize=100'), 'odata.maxpagesize=100, IdType="ImmutableId"');
    assert.equal(withImmutableIds('IdType="RestId"'), 'IdType="RestId"');
  });
});
