// The extended properties a message is created with so it is a received message, not a draft:
// PR_MESSAGE_FLAGS (0x0E07) without MSGFLAG_UNSENT (unless the source item is a draft), with MSGFLAG_READ for read mail (settable only
// in the creating request: read-only once saved, MS-OXCMSG 2.2.1.6); the delivery time (0x0E06,
// the source's arrival date) and submit time (0x0039, the Date header); the original header block
// (PR_TRANSPORT_MESSAGE_HEADERS, 0x007D); the S/MIME message class (0x001A) when there is one; and
// Ferry's watermark, a named String property in Ferry's own namespace GUID, holding the source
// content's fingerprint (or a pending mark until every attachment is written).
import type { SingleValueLegacyExtendedProperty } from '@microsoft/microsoft-graph-types';
import type { ItemContent } from '../types';
import type { GraphMail } from './mimeToGraph';

/** Ferry's property set GUID (fixed forever: findWritten looks for it). */
export const FERRY_PROPERTY_SET = '{4f1e6f3a-9b0c-4c5e-8a61-2f6d1e0c7a11}';
export const WATERMARK = `String ${FERRY_PROPERTY_SET} Name FerrySourceId`;
/**
 * On a recurring event written with exceptions: `pending` from its creation until every exception
 * is applied, then `done` (Graph can create and read an extended property, not remove it). A
 * series found still pending was cut off half-way: it is deleted and written again.
 */
export const SERIES_PENDING = `String ${FERRY_PROPERTY_SET} Name FerrySeriesPending`;

const MSGFLAG_READ = 0x1;
/** A draft stays a draft (MS-OXCMSG 2.2.1.6): set only for a source item that is one (\\Draft). */
const MSGFLAG_UNSENT = 0x8;

/** The watermark of a message created but not finished (attachments still to come): deleted and written again when found. */
export const pendingMark = (fingerprint: string) => `pending:${fingerprint}`;

export const isRead = (flags: readonly string[]) => flags.some((f) => f.toLowerCase() === '\\seen');
export const isFlagged = (flags: readonly string[]) => flags.some((f) => f.toLowerCase() === '\\flagged');
export const isDraft = (flags: readonly string[]) => flags.some((f) => f.toLowerCase() === '\\draft');

/** The creating request's extended properties; `mark` is the watermark's value. */
export function createProperties(content: ItemContent, mail: GraphMail, mark: string): SingleValueLegacyExtendedProperty[] {
  const received = content.date.toISOString();
  return [
    { id: 'Integer 0x0E07', value: String((isRead(content.flags) ? MSGFLAG_READ : 0) | (isDraft(content.flags) ? MSGFLAG_UNSENT : 0)) },
    { id: 'SystemTime 0x0E06', value: received },
    { id: 'SystemTime 0x0039', value: (mail.sentAt ?? content.date).toISOString() },
    { id: 'String 0x007D', value: mail.headers },
    ...(mail.messageClass ? [{ id: 'String 0x001A', value: mail.messageClass }] : []),
    { id: WATERMARK, value: mark },
  ];
}
