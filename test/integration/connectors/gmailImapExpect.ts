// What a Gmail mailbox should become in Dovecot by the shared label mapping (the Gmail API's view
// of the same mailbox), and what a Dovecot mailbox holds: folder -> messages (Message-ID, flags,
// internal date), to compare with deepEqual.
import { mapLabels, type GmailLabel } from '../../../src/connectors/gmail/labelMapping';
import type { FolderRole } from '../../../src/connectors/types';
import type { DovecotServer } from '../../servers/dovecot';
import { connectAs } from '../../servers/dovecotSeed';
import type { GmailMessageSpec } from '../../servers/fakeGmailImap/gmailStore';

/** Dovecot's folders for the mapping's roles (test/servers/dovecotConfig.ts). */
export const DOVECOT_ROLE: Partial<Record<FolderRole, string>> = { inbox: 'INBOX', sent: 'Sent', drafts: 'Drafts', deleted: 'Trash', junk: 'Junk', archive: 'Archive' };

export interface Arrived {
  messageId: string;
  flags: string[];
  date: string;
}

/** What the Gmail API's view of the same mailbox says: folder -> message -> flags, by the shared mapping. */
export function expected(specs: readonly GmailMessageSpec[]): Map<string, Arrived[]> {
  const names = new Set(specs.flatMap((s) => s.labels).filter((l) => l !== l.toUpperCase() || l.includes('/')));
  for (const n of [...names]) n.split('/').forEach((_, i, parts) => names.add(parts.slice(0, i + 1).join('/')));
  const labels: GmailLabel[] = [...names].map((n) => ({ id: n, name: n, type: 'user' }));
  const out = new Map<string, Arrived[]>();
  for (const s of specs) {
    const placement = mapLabels(s.labels, labels);
    const messageId = /Message-ID: (<[^>]+>)/.exec(s.raw.toString())![1];
    for (const f of placement.folders) {
      const folder = (f.role && DOVECOT_ROLE[f.role]) ?? f.path.join('/');
      const list = out.get(folder) ?? [];
      list.push({ messageId, flags: [...placement.flags, ...(s.flags ?? []), ...placement.keywords].sort(), date: s.date.toISOString() });
      out.set(folder, list);
    }
  }
  for (const list of out.values()) list.sort((a, b) => a.messageId.localeCompare(b.messageId));
  return out;
}

/** Every message in every folder of a Dovecot user: folder ('/'-joined) -> messages. */
export async function arrived(server: DovecotServer, user: string): Promise<Map<string, Arrived[]>> {
  const client = await connectAs(server, user);
  const out = new Map<string, Arrived[]>();
  try {
    for (const box of await client.list()) {
      if (box.flags.has('\\Noselect')) continue;
      const lock = await client.getMailboxLock(box.path, { readOnly: true });
      try {
        const list: Arrived[] = [];
        if (client.mailbox && client.mailbox.exists > 0) {
          for (const m of await client.fetchAll('1:*', { flags: true, internalDate: true, headers: ['message-id'] })) {
            const messageId = /<[^>]+>/.exec(m.headers?.toString() ?? '')?.[0] ?? '?';
            list.push({ messageId, flags: [...(m.flags ?? [])].filter((f) => f !== '\\Recent').sort(), date: new Date(m.internalDate ?? 0).toISOString() });
          }
        }
        list.sort((a, b) => a.messageId.localeCompare(b.messageId));
        if (list.length) out.set(box.path.split(box.delimiter || '/').join('/'), list);
      } finally {
        lock.release();
      }
    }
  } finally {
    await client.logout().catch(() => undefined);
  }
  return out;
}
