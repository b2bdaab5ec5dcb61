// Single-value extended properties as Graph takes them ({ id: 'Integer 0x0E07', value: '1' }) and
// what they change on a message: PR_MESSAGE_FLAGS (read, unsent = draft), PR_MESSAGE_DELIVERY_TIME
// (receivedDateTime). Others (PR_CLIENT_SUBMIT_TIME, named String properties) are just kept.
import type { MessageRecord } from './data';

export const PR_MESSAGE_FLAGS = 'integer 0x0e07';
export const PR_MESSAGE_DELIVERY_TIME = 'systemtime 0x0e06';
export const PR_MESSAGE_SIZE = 'integer 0x0e08';
const MSGFLAG_READ = 0x1;
const MSGFLAG_UNSENT = 0x8;

/** Property ids compare case-insensitively ('Integer 0x0E07' = 'integer 0x0e07'). */
export const propKey = (id: string) => id.trim().replace(/\s+/g, ' ').toLowerCase();

/** Whether `singleValueExtendedProperties` sets PR_MESSAGE_FLAGS (read-only once a message is saved, MS-OXCMSG 2.2.1.6). */
export function setsMessageFlags(list: unknown): boolean {
  return Array.isArray(list) && (list as { id?: unknown }[]).some((e) => typeof e?.id === 'string' && propKey(e.id) === PR_MESSAGE_FLAGS);
}

/** Validates and applies `singleValueExtendedProperties`; returns an error message for a bad one. */
export function applyExtendedProperties(message: MessageRecord, list: unknown): string | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return "'singleValueExtendedProperties' must be an array.";
  for (const entry of list as unknown[]) {
    const e = entry as { id?: unknown; value?: unknown };
    if (typeof e?.id !== 'string' || typeof e.value !== 'string') return 'Each extended property needs a string id and value.';
    if (!/^(Integer|String|SystemTime|Boolean|Long|Binary)\s+(0x[0-9a-fA-F]{4}|\{[0-9a-fA-F-]{36}\}\s+(Name\s+\S+|Id\s+0x[0-9a-fA-F]+))$/i.test(e.id.trim())) return `The property id '${e.id}' is not valid.`;
    const key = propKey(e.id);
    if (key === PR_MESSAGE_FLAGS) {
      const flags = Number(e.value);
      if (!Number.isInteger(flags)) return `The value '${e.value}' is not valid for ${e.id}.`;
      message.isRead = (flags & MSGFLAG_READ) !== 0;
      message.isDraft = (flags & MSGFLAG_UNSENT) !== 0;
    } else if (key.startsWith('systemtime') && Number.isNaN(Date.parse(e.value))) {
      return `The value '${e.value}' is not a valid SystemTime for ${e.id}.`;
    } else if (key === PR_MESSAGE_DELIVERY_TIME) {
      message.receivedDateTime = new Date(e.value).toISOString().replace(/\.\d+Z$/, 'Z');
    }
    message.props[key] = e.value;
  }
  return undefined;
}

/** The stored properties matching an `$expand=singleValueExtendedProperties($filter=id eq '...')`. */
export function expandedProperties(message: MessageRecord, expand: string | null): { id: string; value: string }[] | undefined {
  if (!expand || !/^singleValueExtendedProperties/i.test(expand)) return undefined;
  const ids = [...expand.matchAll(/id eq '([^']+)'/gi)].map((m) => propKey(m[1]));
  // PR_MESSAGE_SIZE is computed by the store, never set.
  const computed: Record<string, string> = { [PR_MESSAGE_SIZE]: String(message.size) };
  return Object.entries({ ...message.props, ...computed })
    .filter(([k]) => ids.length === 0 || ids.includes(k))
    .map(([id, value]) => ({ id, value }));
}
