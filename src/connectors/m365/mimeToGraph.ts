// A MIME message as the Graph message that creates it received, not drafted. Graph makes every
// message created from MIME a draft, and PidTagMessageFlags (0x0E07) is read-only once the message
// is saved (MS-OXCMSG 2.2.1.6), so Ferry parses the MIME (mailparser, loaded on first use) and
// creates a JSON message whose creating request carries the flags (messageProperties.ts), the
// dates, the whole original header block (PidTagTransportMessageHeaders) and the content:
// recipients, subject, body (HTML, else text), importance, categories; attachments come apart
// (inline ones with isInline and their Content-ID). S/MIME is kept as Exchange itself stores it
// (MS-OXOSMIME): a multipart/signed message becomes class IPM.Note.SMIME.MultipartSigned with the
// signed entity, byte for byte, as its one attachment smime.p7m, so the signature still verifies;
// application/pkcs7-mime (encrypted or opaque-signed) becomes IPM.Note.SMIME with the CMS data.
import type { Message, Recipient } from '@microsoft/microsoft-graph-types';
import type { AddressObject, EmailAddress, ParsedMail } from 'mailparser';
import { headerFields, splitMessage } from '../mimeParts';

export interface AttachmentToWrite {
  name: string;
  contentType: string;
  bytes: Buffer;
  isInline: boolean;
  /** Without angle brackets, as `cid:` URLs in the HTML name it. */
  contentId?: string;
}

export interface GraphMail {
  /** Everything but extended properties and attachments. */
  message: Message;
  attachments: AttachmentToWrite[];
  /** The source's header block, unfolded lines as they were (PidTagTransportMessageHeaders). */
  headers: string;
  /** PidTagMessageClass when not a plain IPM.Note. */
  messageClass?: string;
  /** The Date header (PidTagClientSubmitTime), when readable. */
  sentAt?: Date;
}

const SIGNED_CLASS = 'IPM.Note.SMIME.MultipartSigned';
const SMIME_CLASS = 'IPM.Note.SMIME';

const recipientsOf = (a: AddressObject | AddressObject[] | undefined): Recipient[] =>
  (Array.isArray(a) ? a : a ? [a] : [])
    .flatMap((o) => o.value)
    .flatMap((e: EmailAddress): EmailAddress[] => e.group ?? [e])
    .filter((e) => e.address)
    .map((e) => ({ emailAddress: { address: e.address!, ...(e.name ? { name: e.name } : {}) } }));

export { categoriesOf } from '../categories';

/** The S/MIME parts of a message: the class and the one smime.p7m attachment Exchange stores. */
function smimeOf(headers: string, body: Buffer): { messageClass: string; attachment: AttachmentToWrite } | undefined {
  const type = headerFields(headers, /^content-type$/i)[0]?.replace(/^[^:]*:\s*/, '') ?? '';
  if (/^multipart\/signed/i.test(type)) {
    // The entity as it was signed: its Content-* fields, a blank line, its body.
    const entity = Buffer.concat([Buffer.from(headerFields(headers, /^content-/i).join('\r\n') + '\r\n\r\n', 'utf8'), body]);
    return { messageClass: SIGNED_CLASS, attachment: { name: 'smime.p7m', contentType: 'multipart/signed', bytes: entity, isInline: false } };
  }
  if (/^application\/(x-)?pkcs7-mime/i.test(type)) {
    const base64 = /base64/i.test(headerFields(headers, /^content-transfer-encoding$/i)[0] ?? '');
    const data = base64 ? Buffer.from(body.toString('latin1').replace(/[^A-Za-z0-9+/=]/g, ''), 'base64') : body;
    return { messageClass: SMIME_CLASS, attachment: { name: 'smime.p7m', contentType: 'application/pkcs7-mime', bytes: data, isInline: false } };
  }
  return undefined;
}

function attachmentsOf(parsed: ParsedMail): AttachmentToWrite[] {
  const html = typeof parsed.html === 'string' ? parsed.html : '';
  return parsed.attachments.map((a, i) => {
    const cid = a.cid ?? a.contentId?.replace(/^<|>$/g, '');
    // Inline: an image the HTML body shows by its Content-ID.
    const isInline = !!cid && html.includes(`cid:${cid}`);
    const fallback = a.contentType === 'message/rfc822' ? `message-${i + 1}.eml` : `attachment-${i + 1}`;
    return { name: a.filename || fallback, contentType: a.contentType, bytes: a.content, isInline, ...(cid ? { contentId: cid } : {}) };
  });
}

/** The Graph message for a raw MIME message. */
export async function graphMailOf(raw: Buffer): Promise<GraphMail> {
  const { simpleParser } = await import('mailparser');
  const parsed = await simpleParser(raw, { keepCidLinks: true, skipTextToHtml: true, skipImageLinks: true });
  const { headers, body } = splitMessage(raw);
  const smime = smimeOf(headers, body);
  const html = typeof parsed.html === 'string' && parsed.html ? parsed.html : undefined;
  const from = recipientsOf(parsed.from)[0];
  const sender = recipientsOf(parsed.headers.get('sender') as AddressObject | undefined)[0];
  const message: Message = {
    subject: parsed.subject ?? '',
    body: html ? { contentType: 'html', content: html } : { contentType: 'text', content: parsed.text ?? '' },
    ...(from ? { from } : {}),
    ...(sender ? { sender } : {}),
    toRecipients: recipientsOf(parsed.to),
    ccRecipients: recipientsOf(parsed.cc),
    bccRecipients: recipientsOf(parsed.bcc),
    replyTo: recipientsOf(parsed.replyTo),
    ...(parsed.messageId ? { internetMessageId: parsed.messageId } : {}),
    importance: parsed.priority ?? 'normal',
  };
  const sentAt = parsed.date && !Number.isNaN(parsed.date.getTime()) ? parsed.date : undefined;
  return {
    message,
    attachments: smime ? [smime.attachment] : attachmentsOf(parsed),
    headers,
    ...(smime ? { messageClass: smime.messageClass } : {}),
    ...(sentAt ? { sentAt } : {}),
  };
}
