// Python's imaplib (standard library, /usr/bin/python3) against the fake Gmail IMAP front: a client
// nobody here wrote gets a token from the fake token endpoint, is refused a password and a bad
// token the way Gmail refuses them, authenticates with XOAUTH2, lists the [Gmail]/ folders with
// their special-use attributes, and sees one message with the same X-GM-MSGID in several folders.
import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { acceptanceMailbox } from '../../servers/fakeGmailImap/acceptanceMailbox';
import { startGoogleTokens, type GoogleTokens } from '../../servers/fakeGmailImap/googleTokens';
import { GmailStore } from '../../servers/fakeGmailImap/gmailStore';
import { startFakeGmailImap, type FakeGmailImap } from '../../servers/fakeGmailImap/server';
import { repoRoot } from '../../unit/helpers/repoRoot';
import { skipWith } from '../../unit/helpers/sharedReference';

const PYTHON = '/usr/bin/python3';
const CLIENT = { clientId: 'imaplib.apps.googleusercontent.test', clientSecret: 'imaplib-secret' };

describe('outside clients: imaplib against the fake Gmail IMAP front', function () {
  this.timeout(60_000);
  let tokens: GoogleTokens;
  let gmail: FakeGmailImap;

  before(async function () {
    if (!fs.existsSync(PYTHON)) skipWith(this, `skipped: ${PYTHON} absent`);
    tokens = await startGoogleTokens({ client: CLIENT });
    gmail = await startFakeGmailImap({ tokens, mailboxes: new Map([['ann@gmail.test', new GmailStore(acceptanceMailbox())]]) });
  });
  after(async () => {
    await gmail?.close();
    await tokens?.close();
  });

  it('refreshes a token, is refused LOGIN and a bad token, authenticates with XOAUTH2 and reads X-GM-MSGID/X-GM-LABELS', async () => {
    const script = path.join(repoRoot(), 'test', 'clients', 'gmail_imaplib.py');
    const args = [String(gmail.port), tokens.tokenUrl, CLIENT.clientId, CLIENT.clientSecret, tokens.grant('ann@gmail.test'), 'ann@gmail.test'];
    const out = await new Promise<string>((resolve, reject) =>
      execFile(PYTHON, [script, ...args], { env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout))),
    );
    type Step = { step: string; folder?: string; rows?: { msgid: string; thrid: string; labels: string }[] } & Record<string, unknown>;
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as Step);
    const steps = new Map(lines.map((s) => [s.step, s]));
    assert.deepEqual(steps.get('token'), { step: 'token', tokenType: 'Bearer', expiresIn: 3599, scope: 'https://mail.google.com/' });
    assert.ok((steps.get('capabilities')!.capabilities as string[]).includes('X-GM-EXT-1'));
    assert.ok((steps.get('capabilities')!.capabilities as string[]).includes('AUTH=XOAUTH2'));
    assert.equal(steps.get('login')!.accepted, false);
    assert.match(String(steps.get('login')!.text), /\[ALERT\] Invalid credentials \(Failure\)/);
    assert.equal(steps.get('bad token')!.accepted, false);
    assert.match(String(steps.get('bad token')!.text), /\[AUTHENTICATIONFAILED\] Invalid credentials \(Failure\)/);
    assert.equal(steps.get('authenticate')!.status, 'OK');
    const folders = steps.get('list')!.folders as string[];
    for (const [attribute, name] of [['\\All', 'All Mail'], ['\\Sent', 'Sent Mail'], ['\\Drafts', 'Drafts'], ['\\Junk', 'Spam'], ['\\Trash', 'Trash'], ['\\Flagged', 'Starred'], ['\\Important', 'Important']]) {
      assert.ok(folders.some((f) => f.includes(attribute) && f.endsWith(`"[Gmail]/${name}"`)), `${attribute} on [Gmail]/${name}: ${folders.join(' | ')}`);
    }
    const rows = (folder: string) => lines.find((s) => s.step === 'fetch' && s.folder === folder)?.rows ?? [];
    const all = rows('"[Gmail]/All Mail"');
    const inbox = rows('INBOX');
    const projects = rows('"Work/Projects"');
    // All Mail holds every message but spam and trash; a message in INBOX and Work/Projects has one X-GM-MSGID everywhere.
    assert.equal(all.length, 8);
    assert.equal(new Set(all.map((r) => r.msgid)).size, 8);
    for (const r of [...inbox, ...projects]) assert.ok(all.some((a) => a.msgid === r.msgid && a.labels === r.labels), `msgid ${r.msgid} in All Mail with the same labels`);
    assert.ok(inbox.some((r) => projects.some((p) => p.msgid === r.msgid)));
    assert.ok(inbox.every((r) => r.labels.includes('"\\\\Inbox"')));
    // The reply shares the thread of the message it answers.
    assert.equal(new Set(projects.map((r) => r.thrid)).size, projects.length - 1);
    assert.equal((steps.get('search msgid')!.uids as string[]).length, 1);
    assert.equal((steps.get('search label')!.uids as string[]).length, inbox.filter((r) => r.labels.includes('Work/Projects')).length);
    assert.equal(steps.get('body')!.messageId, '<gm-1@example.org>');
    assert.equal(steps.get('select missing')!.status, 'NO');
    assert.match(String(steps.get('select missing')!.text), /\[NONEXISTENT\] Unknown Mailbox/);
    assert.equal(steps.get('logout')!.status, 'BYE');
  });
});
