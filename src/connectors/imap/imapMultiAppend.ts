// Several messages in one APPEND command (RFC 3502 MULTIAPPEND): one round trip and one server
// transaction for the batch instead of one per message (Dovecot appending to Maildir re-reads its
// uidlist on every transaction, so per-message APPENDs also get slower as the folder grows). The
// server stores all of the messages or none, and with UIDPLUS answers with their UIDs as a set
// (RFC 4315 APPENDUID).
//
// imapflow 2.1.2 has no MULTIAPPEND, but its command queue (`exec`, internal, stable in the pinned
// version) takes any attribute list and handles the literals: non-synchronising (LITERAL+/-) up to
// 4 KB, synchronising above (it sends each one on the server's "+"), literal8 for content with NUL
// bytes. Flags, dates and the mailbox name go through imapflow's own helpers, exactly as its single
// APPEND formats them, so both paths store the same thing. Each message's flags and date go to the
// compiler as one TEXT part written as the compiler writes a list of atoms and a quoted date (the
// same bytes, a third of the compile time of a small message); flags are formatted once per
// distinct set in a batch.
import type { ImapFlow } from 'imapflow';
import { canUseFlag, encodePath, formatDateTime, formatFlag, normalizePath } from 'imapflow/lib/tools.js';
import { holdsNul } from '../fingerprint';
import type { ItemContent } from '../types';
import { imapFlag } from './imapKeywords';

/** The part of imapflow's internal command interface this uses. */
interface CommandQueue {
  exec(command: string, attributes: unknown[]): Promise<{ response: { attributes?: ResponseAttribute[] }; next(): void }>;
}

interface ResponseAttribute {
  type?: string;
  value?: unknown;
  section?: ResponseAttribute[];
}

export interface MultiAppendResult {
  uidValidity: bigint;
  /** One UID per message, in the order sent. */
  uids: number[];
}

/** True when the client can do MULTIAPPEND with UIDs back (and exposes the command queue it needs). */
export function canMultiAppend(client: ImapFlow): boolean {
  return client.capabilities.has('MULTIAPPEND') && client.capabilities.has('UIDPLUS') && typeof (client as unknown as Partial<CommandQueue>).exec === 'function';
}

/** More UIDs than any batch has: a set naming more is not an answer to ours. */
const MAX_SET = 100_000;

/** The UIDs of a uid-set (`4`, `4:6`, `4:6,9`) in order; undefined when it is not one. */
export function expandUidSet(set: string): number[] | undefined {
  const uids: number[] = [];
  for (const part of set.split(',')) {
    const m = /^(\d{1,10})(?::(\d{1,10}))?$/.exec(part);
    if (!m) return undefined;
    const a = Number(m[1]);
    const b = m[2] === undefined ? a : Number(m[2]);
    // A range names its ends in either order; UIDs were given in ascending order.
    if (Math.abs(b - a) + uids.length >= MAX_SET) return undefined;
    for (let uid = Math.min(a, b); uid <= Math.max(a, b); uid++) uids.push(uid);
  }
  return uids;
}

/** What imapflow's compiler writes as it is, not quoted: an atom, or a backslash and an atom (a system flag). */
const isAtom = (flag: string): boolean => /^\\?[^\x00-\x20\x7f-\uffff(){%*"\\\]]+$/.test(flag);

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const twoDigits = (n: number): string => (n < 10 ? `0${n}` : String(n));

/**
 * imapflow's formatDateTime (` 5-Jan-2024 09:03:07 +0000`, UTC) without its string round trips
 * (it formats the date about ten times over, `Date.toString` with the local zone among them);
 * undefined for dates it formats otherwise (years outside 1000-9999, invalid), left to it.
 */
export function appendDate(date: Date): string | undefined {
  const year = date.getUTCFullYear();
  if (!(year >= 1000 && year <= 9999)) return undefined;
  const day = date.getUTCDate();
  return `${day < 10 ? ' ' : ''}${day}-${MONTHS[date.getUTCMonth()]}-${year} ${twoDigits(date.getUTCHours())}:${twoDigits(date.getUTCMinutes())}:${twoDigits(date.getUTCSeconds())} +0000`;
}

/** An error imapflow would raise for a message above APPENDLIMIT (mapped to IMAP-ITEM-TOO-LARGE). */
function tooLarge(limit: number): Error {
  return Object.assign(new Error(`Message content too big for APPENDLIMIT=${limit}`), { serverResponseCode: 'APPENDLIMIT' });
}

/**
 * Appends the messages to `folder` in one command; the caller selected `folder` first so the flags
 * are filtered by its PERMANENTFLAGS (as imapflow's APPEND does). Resolves with the UIDs when the
 * server gave a set of the right size, undefined when it did not; rejects (nothing stored) when
 * the server refuses the command.
 */
export async function multiAppend(client: ImapFlow, folder: string, contents: readonly ItemContent[]): Promise<MultiAppendResult | undefined> {
  const limit = client.capabilities.get('APPENDLIMIT');
  const binary = client.capabilities.has('BINARY');
  const attributes: unknown[] = [{ type: 'ATOM', value: encodePath(client, normalizePath(client, folder)) }];
  // Sources share one flags array per distinct set: formatted and filtered once per batch.
  const flagSets = new Map<readonly string[], string[]>();
  for (const content of contents) {
    if (typeof limit === 'number' && content.data.length > limit) throw tooLarge(limit);
    let flags = flagSets.get(content.flags);
    if (!flags) flagSets.set(content.flags, (flags = content.flags.map((f) => formatFlag(imapFlag(f))).filter((f): f is string => !!f && canUseFlag(client.mailbox, f))));
    const date = appendDate(content.date);
    if (flags.every(isAtom) && date !== undefined) attributes.push({ type: 'TEXT', value: `(${flags.join(' ')}) "${date}"` });
    else {
      attributes.push(flags.map((value) => ({ type: 'ATOM', value })));
      const text = formatDateTime(content.date);
      if (text) attributes.push({ type: 'STRING', value: text });
    }
    // Literal lengths are counted in bytes by the compiler (the data is a Buffer).
    attributes.push({ type: 'LITERAL', value: content.data, isLiteral8: binary && holdsNul(content.data) });
  }
  const response = await (client as unknown as CommandQueue).exec('APPEND', attributes);
  response.next();
  const code = response.response.attributes?.[0]?.section;
  if (!code || String(code[0]?.value).toUpperCase() !== 'APPENDUID') return undefined;
  const validity = String(code[1]?.value ?? '');
  const uids = expandUidSet(String(code[2]?.value ?? ''));
  if (!/^\d{1,10}$/.test(validity) || !uids || uids.length !== contents.length) return undefined;
  return { uidValidity: BigInt(validity), uids };
}
