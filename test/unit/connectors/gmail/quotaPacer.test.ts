import * as assert from 'node:assert/strict';
import { QuotaPacer, type PacerClock } from '../../../../src/connectors/gmail/quotaPacer';

/** A clock that only moves when the pacer sleeps: the waits are the subject, read as figures. */
function fakeClock(): PacerClock & { slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

describe('connectors: gmail quota pacer', () => {
  it('spends a second of units at once, then paces to the quota (250 units/s: 50 messages.get a second)', async () => {
    const clock = fakeClock();
    const pacer = new QuotaPacer(250, clock);
    for (let i = 0; i < 50; i++) await pacer.take(5);
    assert.equal(clock.now(), 0, 'the first second of units is a burst');
    for (let i = 0; i < 100; i++) await pacer.take(5);
    // 500 more units at 250 a second: 2 s of the clock.
    assert.ok(clock.now() >= 1990 && clock.now() <= 2010, String(clock.now()));
    assert.equal(pacer.spent, 750);
  });

  it('after a refusal holds every request, doubles the hold while refusals go on, and slows to what was accepted', async () => {
    const clock = fakeClock();
    const pacer = new QuotaPacer(250, clock);
    for (let i = 0; i < 60; i++) await pacer.take(5); // 300 units accepted in the last minute
    const before = clock.now();
    pacer.refused();
    await pacer.take(5);
    assert.ok(clock.now() - before >= 1000, 'held 1 s (Gmail sends no Retry-After)');
    assert.ok(pacer.rate <= 300 / 60 + 1e-9, `rate ${pacer.rate} is the minute's accepted units`);
    const second = clock.now();
    pacer.refused();
    await pacer.take(5);
    assert.ok(clock.now() - second >= 2000, 'the second refusal in a row holds 2 s');
    pacer.accepted();
    const third = clock.now();
    pacer.refused(500);
    await pacer.take(1);
    assert.ok(clock.now() - third >= 500 && clock.now() - third < 1000, 'a Retry-After is honoured as given');
    assert.equal(pacer.refusals, 3);
  });

  it('two users have two pacers: one held does not hold the other', async () => {
    const clock = fakeClock();
    const held = new QuotaPacer(250, clock);
    const free = new QuotaPacer(250, clock);
    held.refused(60_000);
    await free.take(5);
    assert.equal(clock.now(), 0);
  });
});
