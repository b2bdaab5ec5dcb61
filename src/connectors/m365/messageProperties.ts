// The extended properties that make a message created from MIME look received rather than drafted:
// PR_MESSAGE_FLAGS (0x0E07) without MSGFLAG_UNSENT, with MSGFLAG_READ for read mail; the delivery
// and submit times (0x0E06, 0x0039) from the source's date; and Ferry's watermark, a named String
// property in Ferry's own namespace GUID, holding the source content's fingerprint.
import type { ItemContent } from '../types';

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

/** The PATCH body for a freshly created message. */
export function messagePatch(content: ItemContent, fingerprint: string): object {
  const read = content.flags.some((f) => f.toLowerCase() === '\\seen');
  const flagged = content.flags.some((f) => f.toLowerCase() === '\\flagged');
  const when = content.date.toISOString();
  return {
    singleValueExtendedProperties: [
      { id: 'Integer 0x0E07', value: String(read ? MSGFLAG_READ : 0) },
      { id: 'SystemTime 0x0E06', value: when },
      { id: 'SystemTime 0x0039', value: when },
      { id: WATERMARK, value: fingerprint },
    ],
    ...(flagged ? { flag: { flagStatus: 'flagged' } } : {}),
  };
}
