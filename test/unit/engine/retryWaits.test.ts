// Waiting for a server is told, and a mailbox that was working waits longer than a login that never
// worked: every wait is an ENG-013 notice naming what is waited for, the attempt and the error;
// once the mailbox is open the policy's patience applies, before it only its attempts.
import * as assert from 'node:assert/strict';
import { withRetries, type RetryPolicy, type RetryWait } from '../../../src/engine/backoff';
import { ConnectorError } from '../../../src/connectors/types';
import { harness, simplePlan } from './engineTestUtil';

const quick = (extra: Partial<RetryPolicy> = {}): RetryPolicy => ({ attempts: 3, patience: 6, baseMs: 100, maxMs: 1000, sleep: async () => undefined, random: () => 0.5, ...extra });
const dropped = () => new ConnectorError('IMAP-DISCONNECT', 'connection closed', 'transient', ['imap.example', 'BYE']);

describe('engine: waits for a server are told and bounded', () => {
  it('withRetries tells each wait before it sleeps: what, which attempt of how many, how long, why', async () => {
    const waits: RetryWait[] = [];
    const slept: number[] = [];
    let calls = 0;
    const result = await withRetries('read INBOX 7', async () => (++calls < 3 ? Promise.reject(dropped()) : 'done'), quick({ onWait: (w) => waits.push(w), sleep: async (ms) => void slept.push(ms) }), new AbortController().signal);
    assert.equal(result, 'done');
    assert.deepEqual(waits.map((w) => [w.what, w.attempt, w.attempts, w.delayMs, w.error.code]), [
      ['read INBOX 7', 1, 3, 75, 'IMAP-DISCONNECT'],
      ['read INBOX 7', 2, 3, 150, 'IMAP-DISCONNECT'],
    ]);
    assert.deepEqual(slept, [75, 150]);
  });

  it('a mailbox that is open waits with patience, and each wait is an ENG-013 notice', async () => {
    const h = harness(simplePlan(['ann']));
    const [first] = [0, 1, 2].map((i) => h.world.add('ann@contoso.example', ['INBOX'], `m${i}`));
    let failures = 0;
    // Five drops in a row reading one message: more than the 3 attempts of a login, fewer than the patience of 6.
    h.world.fail = (op, _mailbox, detail) => (op === 'readItem' && detail === first.id && failures++ < 5 ? dropped() : undefined);
    const summary = await h.run('full', { retry: quick() });
    assert.deepEqual([summary.items[0].status, summary.totals.copied, summary.totals.errors], ['Completed', 3, 0]);
    const notices = h.events.flatMap((e) => (e.type === 'notice' && e.code === 'ENG-013' ? [e.message] : []));
    assert.equal(notices.length, 5, notices.join('\n'));
    assert.match(notices[0], /^Waiting 0\.1 s, then trying again to read INBOX 1 \(attempt 1 of 6: IMAP-DISCONNECT: connection closed\)$/);
    assert.match(notices[4], /\(attempt 5 of 6: /, notices.join('\n'));
  });

  it('a login that keeps failing is given up after the attempts, not the patience, each wait told', async () => {
    const h = harness(simplePlan(['ann']));
    h.world.add('ann@contoso.example', ['INBOX'], 'm');
    h.world.fail = (op) => (op === 'open' ? new ConnectorError('IMAP-CONNECT', 'refused', 'transient', ['imap.example', '993', 'ECONNREFUSED']) : undefined);
    const summary = await h.run('full', { retry: quick() });
    assert.equal(summary.items[0].code, 'ENG-010');
    // Both sides log in at once: each is given up after its 3 attempts (2 waits), not the patience.
    const notices = h.events.flatMap((e) => (e.type === 'notice' && e.code === 'ENG-013' ? [e.message] : []));
    for (const side of ['destination', 'source']) assert.equal(notices.filter((m) => m.includes(`log in to the ${side}`)).length, 2, notices.join('\n'));
    assert.equal(notices.length, 4, notices.join('\n'));
  });
});
