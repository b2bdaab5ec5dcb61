// The acceptance scenario of delta changes (issue 13) with Gmail over IMAP as the source (the fake
// Gmail IMAP front: X-GM-EXT-1, XOAUTH2) into Dovecot. Gmail's IMAP folders are views of labels, so
// Ferry scans All Mail, Spam and Trash with FLAGS and X-GM-LABELS each pass and places messages by
// the Gmail label mapping; a delta compares that scan with what it recorded. After a full pass the
// user reads 10, stars 5, moves 7 to another label (the Inbox label removed, Projects added), deletes
// 3 for good and receives 4: the destination equals the source under each deletion policy, the
// report counts each change by kind, and a second delta changes nothing.
import * as assert from 'node:assert/strict';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { rfc822 } from '../../servers/fakeGoogle/testDomain';
import { startGoogleTokens, type GoogleTokens } from '../../servers/fakeGmailImap/googleTokens';
import { GmailStore, type GmailMessage } from '../../servers/fakeGmailImap/gmailStore';
import { startFakeGmailImap, type FakeGmailImap } from '../../servers/fakeGmailImap/server';
import { assertSameState, entryOf, expectedCounts, expectedDestination, inProcessProject, maildirState, type MailboxState } from './deltaScenario';

const POLICIES = ['keep', 'delete', 'move'] as const;
const CLIENT = { clientId: '1234-ferry.apps.googleusercontent.test', clientSecret: 'GOCSPX-test-secret' };
const when = (n: number) => new Date(Date.UTC(2026, 1, 1, 8, n));

describe('delta carries every change from Gmail over IMAP (fake Gmail IMAP -> Dovecot)', function () {
  this.timeout(120_000);
  let dovecot: DovecotServer;
  let tokens: GoogleTokens;
  let gmail: FakeGmailImap;
  const mailboxes = new Map<string, GmailStore>();

  before(async () => {
    [dovecot, tokens] = await Promise.all([startDovecot({ users: POLICIES.map((u) => ({ user: `${u}@dst.test`, password: 'dst-pw' })) }), startGoogleTokens({ client: CLIENT })]);
    for (const u of POLICIES) mailboxes.set(`${u}@gmail.test`, new GmailStore());
    gmail = await startFakeGmailImap({ tokens, mailboxes });
  });
  after(async () => {
    await gmail?.close();
    await tokens?.close();
    await dovecot?.stop();
  });

  /** The Gmail mailbox as the label mapping places it: Inbox -> INBOX, Projects; UNREAD absent -> \Seen, STARRED -> \Flagged. */
  function gmailState(store: GmailStore): MailboxState {
    const state: MailboxState = new Map();
    for (const m of store.messages) {
      if (m.deleted) continue;
      const folder = m.labels.has('INBOX') ? 'INBOX' : m.labels.has('Projects') ? 'Projects' : 'Archive';
      state.set(folder, [...(state.get(folder) ?? []), entryOf(m.raw, store.flags(m).filter((f) => f === '\\Seen' || f === '\\Flagged'))].sort());
    }
    return state;
  }

  /** 30 unread messages in the Inbox and 5 read ones labelled Projects; returns the scenario's changes, which return the deleted messages' entries. */
  function seed(store: GmailStore, user: string): () => string[] {
    const add = (n: number, labels: string[]) => store.add({ raw: rfc822(`${user} message ${n}`, { to: user, date: when(n) }), date: when(n), labels });
    const inbox: GmailMessage[] = Array.from({ length: 30 }, (_, n) => add(n, ['INBOX', 'UNREAD']));
    for (let n = 30; n < 35; n++) add(n, ['Projects']);
    return () => {
      inbox.slice(0, 10).forEach((m) => store.relabel(m.index, [], ['UNREAD']));
      inbox.slice(10, 15).forEach((m) => store.relabel(m.index, ['STARRED']));
      inbox.slice(15, 22).forEach((m) => store.relabel(m.index, ['Projects'], ['INBOX']));
      const deleted = inbox.slice(22, 25).map((m) => entryOf(m.raw, []));
      inbox.slice(22, 25).forEach((m) => store.delete(m.index));
      for (let n = 40; n < 44; n++) add(n, ['INBOX']);
      return deleted;
    };
  }

  for (const policy of POLICIES) {
    it(`deletions: ${policy}: read 10, star 5, move 7, delete 3, add 4: the destination equals the source, the report lists each change, a rerun changes nothing`, async () => {
      const user = `${policy}@gmail.test`;
      const store = mailboxes.get(user)!;
      const changeSource = seed(store, user);
      const p = inProcessProject(
        {
          src: `{ type: imap, host: 127.0.0.1, port: ${gmail.port}, security: none, auth: { username: '{mailbox}', mechanism: xoauth2 }, oauth: { clientId: ${CLIENT.clientId}, clientSecret: { secret: GOOGLE_CLIENT }, refreshToken: { secret: REFRESH }, tokenUrl: '${tokens.tokenUrl}' } }`,
          dst: `{ type: imap, host: 127.0.0.1, port: ${dovecot.port}, security: none }`,
        },
        { source: user, destination: `${policy}@dst.test`, destinationAuth: `{ username: '${policy}@dst.test', password: { secret: DST } }` },
        policy,
        { GOOGLE_CLIENT: CLIENT.clientSecret, REFRESH: tokens.grant(user), DST: 'dst-pw' },
      );
      const destination = () => maildirState(dovecot.mailDir(`${policy}@dst.test`), 'maildir++');

      assert.equal((await p.run('full')).totals.copied, 35);
      assertSameState(destination(), gmailState(store), 'destination after the full pass');

      const deleted = changeSource();

      assert.equal((await p.run('delta')).totals.copied, 4, 'only the 4 new messages are copied (the 7 moved are moved)');
      const expected = expectedDestination(gmailState(store), deleted, policy, 'Trash');
      assertSameState(destination(), expected, 'destination after the delta');
      assert.deepEqual(p.counts(), expectedCounts(policy));

      assert.equal((await p.run('delta')).totals.copied, 0);
      assertSameState(destination(), expected, 'destination after a second delta');
      assert.deepEqual(p.counts(), expectedCounts(policy), 'a rerun adds no change');
      p.store.close();
    });
  }
});
