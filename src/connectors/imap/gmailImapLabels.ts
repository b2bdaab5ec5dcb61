// What Gmail's IMAP says about a message (X-GM-LABELS, FLAGS, the [Gmail]/ folder it sits in) as
// the Gmail API's label ids, so `connectors/gmail/labelMapping.ts` places it: one mapping for
// both ways of reading Gmail. https://developers.google.com/gmail/imap/imap-extensions
import type { GmailLabel } from '../gmail/labelMapping';
import { decodeMutf7 } from '../maildir/mutf7';

/** X-GM-LABELS system labels and the API's ids for them. */
const SYSTEM: Readonly<Record<string, string>> = {
  '\\inbox': 'INBOX',
  '\\sent': 'SENT',
  '\\draft': 'DRAFT',
  '\\important': 'IMPORTANT',
  '\\starred': 'STARRED',
  '\\spam': 'SPAM',
  '\\trash': 'TRASH',
};

/** The id a user label gets here: its name, apart from the API's system ids. */
export const userLabelId = (name: string) => `label:${name}`;

/** A user label (an IMAP folder outside [Gmail]/) as the mapping knows labels. */
export function userLabel(name: string): GmailLabel {
  return { id: userLabelId(name), name, type: 'user' };
}

export interface GmailImapFacts {
  /** X-GM-LABELS as fetched. */
  labels: Iterable<string>;
  /** FLAGS as fetched. */
  flags: Iterable<string>;
  /** Which [Gmail]/ folder the message was read from: Spam and Trash hold what All Mail leaves out. */
  from: 'all' | 'junk' | 'trash';
}

/** The API label ids of a message read over IMAP. */
export function labelIdsOf(facts: GmailImapFacts): string[] {
  const ids = new Set<string>();
  // Gmail sends non-ASCII label names in modified UTF-7, as it does folder names (which imapflow decodes).
  for (const label of facts.labels) ids.add(SYSTEM[label.toLowerCase()] ?? userLabelId(decodeMutf7(label) ?? label));
  const flags = new Set([...facts.flags].map((f) => f.toLowerCase()));
  if (!flags.has('\\seen')) ids.add('UNREAD');
  if (flags.has('\\flagged')) ids.add('STARRED');
  if (flags.has('\\draft')) ids.add('DRAFT');
  if (facts.from === 'junk') ids.add('SPAM');
  if (facts.from === 'trash') ids.add('TRASH');
  return [...ids];
}

/** IMAP flags the mapping does not decide (\Answered, $Forwarded, keywords) and that a copy keeps. */
export function otherFlags(flags: Iterable<string>): string[] {
  return [...flags].filter((f) => !['\\seen', '\\flagged', '\\draft', '\\recent', '\\deleted'].includes(f.toLowerCase()));
}
