// Puts test messages into a Dovecot mailbox through IMAP APPEND (imapflow), with their flags and
// internal dates, creating the folder (and its parents) first.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { ImapFlow } from 'imapflow';
import type { DovecotServer } from './dovecot';

/** One message to seed: raw RFC 822 bytes, carried as they are. */
export interface SeedMessage {
  raw: Buffer | string;
  flags?: string[];
  date?: Date;
}

/** A logged-in imapflow client for a user of the test server (close it with logout()). */
export async function connectAs(server: DovecotServer, user: string): Promise<ImapFlow> {
  const account = server.users.find((u) => u.user === user);
  if (!account) throw new Error(`no test user ${user}`);
  const client = new ImapFlow({ host: server.host, port: server.port, secure: false, doSTARTTLS: false, auth: { user, pass: account.password }, logger: false, disableAutoIdle: true });
  await client.connect();
  return client;
}

/** Appends the messages to `folder` (path segments joined by the server's separator); returns their UIDs. */
export async function seedMessages(server: DovecotServer, user: string, folder: string, messages: readonly SeedMessage[]): Promise<number[]> {
  const client = await connectAs(server, user);
  try {
    if (folder.toUpperCase() !== 'INBOX') {
      const separator = (await client.list()).find((f) => f.delimiter)?.delimiter ?? '/';
      const parts = folder.split(separator);
      for (let i = 1; i <= parts.length; i++) await client.mailboxCreate(parts.slice(0, i).join(separator));
    }
    const uids: number[] = [];
    for (const m of messages) {
      const result = await client.append(folder, typeof m.raw === 'string' ? Buffer.from(m.raw, 'utf8') : m.raw, m.flags ?? [], m.date);
      if (!result || result.uid === undefined) throw new Error('APPEND returned no APPENDUID');
      uids.push(result.uid);
    }
    return uids;
  } finally {
    await client.logout().catch(() => undefined);
  }
}

/** What a mail client of `user` does (logged out after). */
export async function asClient(server: DovecotServer, user: string, work: (client: ImapFlow) => Promise<unknown>): Promise<void> {
  const client = await connectAs(server, user);
  try {
    await work(client);
  } finally {
    await client.logout().catch(() => undefined);
  }
}

/** Dovecot gives `folder` of `user` a new UIDVALIDITY (4242), as a restore from backup or an index rebuild does. */
export function renumberFolder(server: DovecotServer, user: string, folder: string): void {
  execFileSync('doveadm', ['-c', path.join(server.dir, 'dovecot.conf'), 'mailbox', 'update', '-u', user, '--uid-validity', '4242', folder], { stdio: 'ignore' });
}

/**
 * Waits (a bounded poll) until `user` has no session left (`doveadm who`): after a client was killed,
 * an APPEND the server had received is then in the mailbox, or never will be.
 */
export async function sessionsEnded(server: DovecotServer, user: string): Promise<void> {
  for (let tries = 0; ; tries++) {
    const who = execFileSync('doveadm', ['-c', path.join(server.dir, 'dovecot.conf'), 'who', '-1', user], { encoding: 'utf8' });
    if (!who.split('\n').some((line) => line.startsWith(`${user} `))) return;
    if (tries > 3000) throw new Error(`sessions of ${user} still open: ${who}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
