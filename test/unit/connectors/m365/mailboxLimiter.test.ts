// The limiter of an app and a mailbox (mailboxLimiter.ts): Outlook's 4 concurrent requests per app
// per mailbox. A $batch whose sub-requests Graph runs side by side takes as many slots as it runs
// (the fake, like Graph, counts each sub-request against the mailbox's limit: a batch of 4 beside 3
// single requests was answered 429 MailboxConcurrency), all at once and in turn.
import * as assert from 'node:assert/strict';
import { Semaphore } from '../../../../src/connectors/m365/mailboxLimiter';

/** Whether `p` settled by the time pending callbacks ran (no timer involved). */
async function settled(p: Promise<unknown>): Promise<boolean> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  return done;
}

describe('connectors: the Graph mailbox limiter', () => {
  it('a batch takes its sub-requests\' slots: with one request in flight, a batch of 4 waits for it', async () => {
    const limiter = new Semaphore(4);
    const single = await limiter.acquire();
    const batch = limiter.acquire(4);
    assert.equal(await settled(batch), false, 'a batch of 4 beside a request in flight would be 5 at Graph');
    single();
    assert.equal(await settled(batch), true);
    const releaseBatch = await batch;
    const after = limiter.acquire();
    assert.equal(await settled(after), false, 'the batch holds all 4');
    releaseBatch();
    (await after)();
  });

  it('serves in turn: a waiting batch is not passed by single requests that come after it, and never more than the limit at once', async () => {
    const limiter = new Semaphore(4);
    const held = await Promise.all([limiter.acquire(), limiter.acquire()]);
    const batch = limiter.acquire(3);
    const later = limiter.acquire();
    assert.deepEqual([await settled(batch), await settled(later)], [false, false], 'the later single waits behind the batch');
    held[0]();
    assert.deepEqual([await settled(batch), await settled(later)], [true, false], '1 held + the batch of 3 = 4; the later one still waits');
    held[1]();
    assert.equal(await settled(later), true, 'the batch of 3 and the later one: 4');
    (await batch)();
    (await later)();
  });
});
