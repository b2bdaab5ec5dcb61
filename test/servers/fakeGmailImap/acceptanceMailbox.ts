// The Gmail mailbox of the acceptance tests (issue 12): nested labels, multi-label messages,
// starred / unread / important mail, a draft, spam, trash, mail in All Mail only and a label
// that is not ASCII. Labels are the
// Gmail API's ids (user labels by name), so the same mailbox can be served by the IMAP front and by
// a fake of the Gmail API.
import type { GmailMessageSpec } from './gmailStore';

const mail = (n: number, subject: string, extra = '') =>
  `From: Zed <zed@example.org>\r\nTo: Ann <ann@gmail.test>\r\nSubject: ${subject}\r\nDate: Mon, ${String(n).padStart(2, '0')} Sep 2025 10:00:00 +0000\r\nMessage-ID: <gm-${n}@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n${extra}\r\nBody of message ${n}: ${subject}\r\n`;

const at = (n: number) => new Date(Date.UTC(2025, 8, n, 10, 0, 5));

export function acceptanceMailbox(): GmailMessageSpec[] {
  return [
    { raw: mail(1, 'Inbox, important, read'), date: at(1), labels: ['INBOX', 'IMPORTANT'] },
    { raw: mail(2, 'Inbox and a nested label, starred, unread'), date: at(2), labels: ['INBOX', 'Work/Projects', 'STARRED', 'UNREAD'] },
    { raw: mail(3, 'Sent and labelled'), date: at(3), labels: ['SENT', 'Work'] },
    { raw: mail(4, 'A draft with a label'), date: at(4), labels: ['DRAFT', 'Personal'] },
    { raw: mail(5, 'Spam, unread'), date: at(5), labels: ['SPAM', 'UNREAD'] },
    { raw: mail(6, 'Trash, once labelled'), date: at(6), labels: ['TRASH', 'Work'] },
    { raw: mail(7, 'All Mail only (archived)'), date: at(7), labels: [] },
    { raw: mail(8, 'Three labels, important, starred'), date: at(8), labels: ['INBOX', 'Personal', 'Work/Projects', 'IMPORTANT', 'STARRED'], flags: ['\\Answered'] },
    { raw: mail(9, 'Reply in the thread of 2', 'In-Reply-To: <gm-2@example.org>\r\n'), date: at(9), labels: ['Work/Projects', 'UNREAD'], threadOf: 1 },
    { raw: mail(10, 'A label with accents'), date: at(10), labels: ['INBOX', 'Projets/Été'] },
  ];
}
