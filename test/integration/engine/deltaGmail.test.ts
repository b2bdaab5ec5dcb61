// The acceptance scenario of delta changes (issue 13) with Google Workspace's Gmail API as the
// source (history: labelsAdded/labelsRemoved, messagesAdded/messagesDeleted) into Dovecot: after a
// full pass the user reads 10, stars 5, moves 7 to another label (the Inbox label removed, Projects
// added: the web client's "Move to"), deletes 3 for good and receives 4; the delta leaves the
// destination equal to the source under each deletion policy, the report counts each change by
// kind, and a second delta changes nothing; a kill -9 mid-delta and a rerun give the same end state.
import * as assert from 'node:assert/strict';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { buildReport } from '../../../src/engine/report';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { startDovecot, type DovecotServer } from '../../servers/dovecot';
import { rfc822, startTestDomain, type TestDomain } from '../../servers/fakeGoogle/testDomain';
import { assertSameState, childProject, entryOf, expectedCounts, expectedDestination, maildirState, type ChangeCounts, type DeletionPolicy, type MailboxState } from './deltaScenario';
import { gmailEndpointYaml, gmailProject } from './gmailProject';

const POLICIES = ['keep', 'delete', 'move'] as const;
const KILLS = [['change.after#4', 'a move'], ['change.after#12', 'a flag change'], ['change.after#24', 'a deletion']] as const;
const USERS = [...POLICIES, ...KILLS.map((_, i) => `kill${i}`)];
const when = (n: number) => new Date(Date.UTC(2026, 1, 1, 8, n));

describe('delta carries every change from the Gmail API (fake Google -> Dovecot)', function () {
  this.timeout(120_000);
  let server: DovecotServer;
  let d: TestDomain;
  const secrets: Record<string, string> = { DST: 'dst-pw' };
  const fast = { ...defaultRetryPolicy, attempts: 10, baseMs: 20, maxMs: 2000 };

  before(async () => {
    [server, d] = await Promise.all([
      startDovecot({ users: USERS.map((u) => ({ user: `${u}@dst.test`, password: 'dst-pw' })) }),
      startTestDomain({ users: USERS.map((u) => `${u}@example.test`) }),
    ]);
    secrets.GKEY = JSON.stringify(d.key);
  });
  after(async () => {
    await server?.stop();
    await d?.fake.stop();
  });
  afterEach(() => assert.deepEqual(d?.fake.admin.schemaProblems ?? [], []));

  /** The Gmail mailbox as the label mapping places it: Inbox -> INBOX, Projects; UNREAD absent -> \Seen, STARRED -> \Flagged. */
  function gmailState(user: string): MailboxState {
    const a = d.fake.admin;
    const projects = a.labelId(user, 'Projects');
    const state: MailboxState = new Map();
    for (const m of a.mailbox(user).messages.values()) {
      const folder = m.labelIds.has('INBOX') ? 'INBOX' : m.labelIds.has(projects) ? 'Projects' : 'Archive';
      const flags = [...(m.labelIds.has('UNREAD') ? [] : ['\\Seen']), ...(m.labelIds.has('STARRED') ? ['\\Flagged'] : [])];
      state.set(folder, [...(state.get(folder) ?? []), entryOf(m.raw, flags)].sort());
    }
    return state;
  }

  /** 30 unread messages in the Inbox and 5 read ones labelled Projects; returns the scenario's changes (made as the web client makes them), which return the deleted messages' entries. */
  function seed(user: string): () => string[] {
    const a = d.fake.admin;
    a.addLabel(user, 'Projects');
    const add = (n: number, labels: string[]) => a.addMessage(user, { raw: rfc822(`${user} message ${n}`, { to: user, date: when(n) }), labels, internalDate: when(n) });
    const inbox = Array.from({ length: 30 }, (_, n) => add(n, ['INBOX', 'UNREAD']));
    for (let n = 30; n < 35; n++) add(n, ['Projects']);
    return () => {
      inbox.slice(0, 10).forEach((m) => a.modifyLabels(user, m.id, [], ['UNREAD']));
      inbox.slice(10, 15).forEach((m) => a.modifyLabels(user, m.id, ['STARRED']));
      inbox.slice(15, 22).forEach((m) => a.modifyLabels(user, m.id, ['Projects'], ['INBOX']));
      const deleted = inbox.slice(22, 25).map((m) => entryOf(m.raw, []));
      inbox.slice(22, 25).forEach((m) => a.deleteMessage(user, m.id));
      for (let n = 40; n < 44; n++) add(n, ['INBOX']);
      return deleted;
    };
  }

  /** `who`@example.test into `who`@dst.test (Dovecot) under `policy`. */
  const dovecotYaml = () => `{ type: imap, host: 127.0.0.1, port: ${server.port}, security: none }`;
  const dstAuth = (who: string) => `{ username: '${who}@dst.test', password: { secret: DST } }`;
  const project = (who: string, policy: DeletionPolicy) =>
    gmailProject(d, dovecotYaml(), [{ source: `${who}@example.test`, destination: `${who}@dst.test`, destinationAuth: dstAuth(who) }], `options:\n  delta: { deletions: ${policy} }\n`);

  const destinationState = (who: string) => maildirState(server.mailDir(`${who}@dst.test`), 'maildir++');

  for (const policy of POLICIES) {
    it(`deletions: ${policy}: read 10, star 5, move 7, delete 3, add 4: the destination equals the source, the report lists each change, a rerun changes nothing`, async () => {
      const user = `${policy}@example.test`;
      const changeSource = seed(user);
      const p = project(policy, policy);
      const run = async (pass: 'full' | 'delta') => {
        const s = await runPass({ plan: p.plan, store: p.store, pass, connectors: registryConnectors, secrets: (n) => secrets[n], retry: fast });
        assert.equal(s.items[0].status, pass === 'full' ? 'Completed' : 'Resynced', JSON.stringify(s.items));
        return s;
      };
      const counts = () => buildReport(p.store, p.file)!.changes.byKind as ChangeCounts;
      const destination = () => destinationState(policy);

      assert.equal((await run('full')).totals.copied, 35);
      assertSameState(destination(), gmailState(user), 'destination after the full pass');

      const deleted = changeSource();

      assert.equal((await run('delta')).totals.copied, 4, 'only the 4 new messages are copied (the 7 moved are moved)');
      const expected = expectedDestination(gmailState(user), deleted, policy, 'Trash');
      assertSameState(destination(), expected, 'destination after the delta');
      assert.deepEqual(counts(), expectedCounts(policy));

      assert.equal((await run('delta')).totals.copied, 0);
      assertSameState(destination(), expected, 'destination after a second delta');
      assert.deepEqual(counts(), expectedCounts(policy), 'a rerun adds no change');
      p.store.close();
    });
  }

  KILLS.forEach(([hold, what], i) => {
    it(`kill -9 after ${what} reached the destination and before it was recorded, then a rerun: the same end state, each change counted once`, async () => {
      const who = `kill${i}`;
      const changeSource = seed(`${who}@example.test`);
      const p = childProject({ src: gmailEndpointYaml(d), dst: dovecotYaml() }, { source: `${who}@example.test`, destination: `${who}@dst.test`, destinationAuth: dstAuth(who) }, 'move', { ...process.env, FERRY_SECRET_GKEY: secrets.GKEY, FERRY_SECRET_DST: secrets.DST });
      assert.equal((await p.run('full')).totals.copied, 35);
      const deleted = changeSource();
      await p.killDeltaAt(hold);
      assert.equal((await p.run('delta')).totals.copied, 4, 'nothing copied again');
      assertSameState(destinationState(who), expectedDestination(gmailState(`${who}@example.test`), deleted, 'move', 'Trash'), 'destination after the rerun');
      assert.deepEqual(await p.counts(), expectedCounts('move'));
    });
  });
});
