// A Maildir Ferry writes is read the same way through the server that serves it: Dovecot 2.3
// takes the standard flags from the info letters (D F R S T; it ignores P) and every keyword,
// $Forwarded included, from the folder's dovecot-keywords letters; INTERNALDATE is the file mtime.
import * as assert from 'node:assert/strict';
import { maildirConnector } from '../../../src/connectors/maildir/maildirConnector';
import type { OpenMailboxRequest } from '../../../src/connectors/types';
import { connectAs, startDovecot, type DovecotServer } from '../../servers/dovecot';
import { plainMessage } from '../../servers/testMessages';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** Hands a tree written by the test process to the user the server's mail processes run as. */
function giveTo(dir: string, owner: { uid: number; gid: number }): void {
  fs.chownSync(dir, owner.uid, owner.gid);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const at = path.join(dir, entry.name);
    if (entry.isDirectory()) giveTo(at, owner);
    else fs.chownSync(at, owner.uid, owner.gid);
  }
}

describe('connectors: a Maildir written by Ferry, served by Dovecot', function () {
  this.timeout(60_000);
  let server: DovecotServer;
  const signal = new AbortController().signal;
  const USER = 'reader@maildir.test';

  before(async () => {
    server = await startDovecot({ users: [{ user: USER, password: 'pw' }] });
  });
  after(async () => {
    await server?.stop();
  });

  it('shows every flag and keyword Ferry wrote, $Forwarded included, and the dates', async () => {
    const root = server.mailDir(USER);
    const request = { endpoint: { name: 'm', type: 'maildir', settings: { type: 'maildir', path: path.dirname(root) } }, planDir: '/', mailbox: path.basename(root), credentials: { secrets: new Map() }, signal } as unknown as OpenMailboxRequest;
    const destination = await maildirConnector.openDestination(request);
    const cases = [
      ['\\Seen', '$Forwarded'],
      ['\\Answered', '\\Flagged', '$Forwarded', 'Work'],
      ['\\Draft', '\\Deleted', '$Label1'],
      [],
    ];
    const written: { flags: string[]; date: Date; subject: string }[] = [];
    for (const [folderPath, role] of [[['INBOX'], 'inbox'], [['Projects', 'Q3'], undefined]] as const) {
      const folder = await destination.ensureFolder([...folderPath], role);
      const contents = cases.map((flags) => {
        const m = plainMessage(100 + written.length);
        written.push({ flags, date: m.date, subject: `Plain message ${100 + written.length}` });
        return { format: 'rfc822' as const, data: m.raw, flags, date: m.date };
      });
      // One at a time into the INBOX, as a batch into the subfolder.
      if (role === 'inbox') for (const c of contents) await destination.writeItem(folder, c, signal);
      else await destination.writeItems!(folder, contents, signal);
    }
    await destination.close();
    giveTo(root, fs.statSync(path.dirname(root)));
    const client = await connectAs(server, USER);
    try {
      const seen: { flags: string[]; date: Date; subject: string }[] = [];
      for (const box of ['INBOX', 'Projects/Q3']) {
        await client.mailboxOpen(box, { readOnly: true });
        for (const msg of await client.fetchAll('1:*', { flags: true, internalDate: true, envelope: true })) {
          seen.push({ flags: [...(msg.flags ?? [])].filter((f) => f !== '\\Recent').sort(), date: new Date(msg.internalDate!), subject: msg.envelope!.subject! });
        }
      }
      const byCase = (a: { subject: string }, b: { subject: string }) => a.subject.localeCompare(b.subject);
      assert.deepEqual(seen.sort(byCase), written.map((w) => ({ ...w, flags: [...w.flags].sort() })).sort(byCase));
    } finally {
      await client.logout().catch(() => undefined);
    }
  });
});
