// A generated Gmail mailbox of any size, seeded: a share in spam, trash, drafts, sent and the
// inbox, user labels (nested) on about one message in eight each, starred, important and unread
// mail, bodies of 0.5-4 KB. For the bench and the kill test.
import { prng } from '../../unit/helpers/prng';
import type { GmailMessageSpec } from './gmailStore';

export function generatedMailbox(messages: number, seed: number, tag = 'bench'): GmailMessageSpec[] {
  const random = prng(seed);
  const userLabels = ['Work', 'Work/Projects', 'Work/Projects/Alpha', 'Personal', 'Receipts', 'Travel'];
  const pick = (p: number) => random() < p;
  return Array.from({ length: messages }, (_, n) => {
    const labels: string[] = [];
    const place = random();
    if (place < 0.03) labels.push('SPAM');
    else if (place < 0.06) labels.push('TRASH');
    else if (place < 0.08) labels.push('DRAFT');
    else if (place < 0.2) labels.push('SENT');
    else if (place < 0.6) labels.push('INBOX');
    for (const l of userLabels) if (pick(0.12)) labels.push(l);
    if (pick(0.1)) labels.push('STARRED');
    if (pick(0.2)) labels.push('IMPORTANT');
    if (pick(0.3)) labels.push('UNREAD');
    const body = `Body of message ${n}\r\n`.repeat(20 + Math.floor(random() * 200));
    return { raw: `From: Zed <zed@example.org>\r\nTo: Ann <ann@gmail.test>\r\nSubject: ${tag} ${n}\r\nMessage-ID: <${tag}-${n}@example.org>\r\nDate: Mon, 1 Sep 2025 10:00:00 +0000\r\n\r\n${body}`, date: new Date(Date.UTC(2025, 0, 1) + n * 60_000), labels };
  });
}
