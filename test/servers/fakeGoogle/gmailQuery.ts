// The part of Gmail's search syntax (https://support.google.com/mail/answer/7190) the fake
// understands in messages.list `q`: in:, label:, is:, has:userlabels/nouserlabels, after:/before:
// (yyyy/mm/dd or epoch seconds), older_than:/newer_than: (d, m, y), from:, to:, subject:,
// rfc822msgid:, a leading `-` to negate, and bare words matched in the raw message. Terms are
// ANDed; OR, braces and parentheses are not understood (README).
import type { Mailbox, StoredMessage } from './mailbox';
import { splitEntity } from './messagePart';

const IN_LABELS: Record<string, string> = { inbox: 'INBOX', trash: 'TRASH', spam: 'SPAM', sent: 'SENT', drafts: 'DRAFT', draft: 'DRAFT', starred: 'STARRED', important: 'IMPORTANT', chats: 'CHAT', unread: 'UNREAD' };

type Test = (m: StoredMessage) => boolean;

export interface ParsedQuery {
  test: Test;
  /** The query names spam or trash itself (`in:spam`, `in:trash`, `in:anywhere`): they are not left out. */
  reachesSpamTrash: boolean;
}

const header = (m: StoredMessage, name: string) =>
  splitEntity(m.raw)
    .headers.filter((h) => h.name.toLowerCase() === name)
    .map((h) => h.value.toLowerCase())
    .join(' ');

function dateOf(value: string): number | undefined {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(value);
  return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])).getTime() : undefined;
}

function ageMs(value: string): number | undefined {
  const m = /^(\d+)([dmy])$/.exec(value);
  if (!m) return undefined;
  return Number(m[1]) * { d: 86_400_000, m: 30 * 86_400_000, y: 365 * 86_400_000 }[m[2] as 'd' | 'm' | 'y'];
}

const labelKey = (name: string) => name.toLowerCase().replace(/[\s/]/g, '-');

export function parseQuery(q: string, mailbox: Mailbox, now = Date.now()): ParsedQuery {
  const tests: Test[] = [];
  let reachesSpamTrash = false;
  for (const token of q.match(/-?(?:[a-z_0-9]+:)?(?:"[^"]*"|\S+)/gi) ?? []) {
    const negate = token.startsWith('-');
    const body = negate ? token.slice(1) : token;
    const m = /^([a-z_0-9]+):(.*)$/i.exec(body);
    const op = m?.[1].toLowerCase();
    const value = (m ? m[2] : body).replace(/^"|"$/g, '');
    const lower = value.toLowerCase();
    let test: Test;
    if (op === 'in' && lower === 'anywhere') {
      reachesSpamTrash = true;
      test = () => true;
    } else if (op === 'in' || (op === 'is' && IN_LABELS[lower] && lower !== 'inbox')) {
      const id = IN_LABELS[lower] ?? mailbox.labelByName(value)?.id ?? [...mailbox.labels.values()].find((l) => labelKey(l.name) === labelKey(value))?.id;
      if (id === 'SPAM' || id === 'TRASH') reachesSpamTrash = true;
      test = (x) => !!id && x.labelIds.has(id);
    } else if (op === 'is' && lower === 'read') test = (x) => !x.labelIds.has('UNREAD');
    else if (op === 'label') {
      const l = [...mailbox.labels.values()].find((x) => labelKey(x.name) === labelKey(value) || x.id.toLowerCase() === lower);
      if (l?.id === 'SPAM' || l?.id === 'TRASH') reachesSpamTrash = true;
      test = (x) => !!l && x.labelIds.has(l.id);
    } else if (op === 'has' && (lower === 'userlabels' || lower === 'nouserlabels')) {
      const want = lower === 'userlabels';
      test = (x) => [...x.labelIds].some((id) => mailbox.labels.get(id)?.type === 'user') === want;
    } else if (op === 'after' || op === 'before') {
      const t = dateOf(value);
      test = (x) => t !== undefined && (op === 'after' ? x.internalDate >= t : x.internalDate < t);
    } else if (op === 'older_than' || op === 'newer_than') {
      const age = ageMs(lower);
      test = (x) => age !== undefined && (op === 'older_than' ? x.internalDate < now - age : x.internalDate >= now - age);
    } else if (op === 'from' || op === 'to' || op === 'subject') test = (x) => header(x, op).includes(lower);
    else if (op === 'rfc822msgid') test = (x) => header(x, 'message-id').replace(/[<>]/g, '') === lower.replace(/[<>]/g, '');
    else test = (x) => x.raw.toString('utf8').toLowerCase().includes(body.replace(/^"|"$/g, '').toLowerCase());
    tests.push(negate ? (x) => !test(x) : test);
  }
  return { test: (x) => tests.every((t) => t(x)), reachesSpamTrash };
}
