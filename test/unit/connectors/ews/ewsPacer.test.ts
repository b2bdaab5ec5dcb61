// The EWS pacer on a simulated clock against a token bucket like Exchange's: it ends up using most
// of the budget with few refusals, and a back-off at the very start (a busy server, not a spent
// budget) does not slow the mailbox down afterwards.
import * as assert from 'node:assert/strict';
import { Pacer } from '../../../../src/connectors/ews/ewsPacer';

/** Sends as fast as the pacer allows for `seconds` against a bucket of `rate`/s and `burst`. */
function simulate(rate: number, burst: number, seconds: number): { accepted: number; refused: number } {
  let now = 0;
  const pacer = new Pacer(() => now);
  let tokens = burst;
  let last = 0;
  let accepted = 0;
  let refused = 0;
  const latencyMs = 5;
  while (now < seconds * 1000) {
    now += pacer.reserve();
    tokens = Math.min(burst, tokens + ((now - last) / 1000) * rate);
    last = now;
    if (tokens >= 1) {
      tokens -= 1;
      accepted++;
      now += latencyMs;
      pacer.succeeded();
    } else {
      refused++;
      now += latencyMs;
      now += pacer.busy(Math.ceil(((1 - tokens) / rate) * 1000));
    }
  }
  return { accepted, refused };
}

describe('connectors: EWS pacer', () => {
  for (const rate of [10, 40, 100]) {
    it(`uses at least 90% of a ${rate} requests/s budget with under 10% refused`, () => {
      const seconds = 60;
      const { accepted, refused } = simulate(rate, 20, seconds);
      const used = accepted / (rate * seconds + 20);
      assert.ok(used >= 0.9 && used <= 1, `used ${(used * 100).toFixed(1)}%`);
      assert.ok(refused / (accepted + refused) < 0.1, `refused ${refused} of ${accepted + refused}`);
    });
  }

  it('a back-off before any rate is known waits it out without pacing afterwards', () => {
    let now = 0;
    const pacer = new Pacer(() => now);
    assert.equal(pacer.reserve(), 0);
    assert.equal(pacer.busy(150), 150);
    assert.equal(pacer.reserve(), 150);
    assert.equal(pacer.intervalMs, 0);
    now += 200;
    pacer.succeeded();
    assert.equal(pacer.reserve(), 0);
  });

  it('without BackOffMilliseconds it backs off exponentially', () => {
    const now = 0;
    const pacer = new Pacer(() => now);
    assert.deepEqual([pacer.busy(undefined), pacer.busy(undefined), pacer.busy(undefined)], [1000, 2000, 4000]);
  });
});
