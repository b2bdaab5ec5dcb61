// Large messages are hashed on a worker thread (offThreadHash.ts, dist/hashWorker.js): the probe is
// exactly probeOf's, for CRLF mail (one hash) and bare-LF mail (two), several at once.
import * as assert from 'node:assert/strict';
import { probeOf } from '../../../src/connectors/fingerprint';
import { HASH_OFF_THREAD_BYTES, hashedOffThread, probeOfAsync } from '../../../src/connectors/offThreadHash';
import type { ItemContent } from '../../../src/connectors/types';

/** A message of about `bytes` with base64-like lines ending in `eol`. */
function message(n: number, bytes: number, eol: string): ItemContent {
  const line = `${String(n).padStart(8, '0')}${'QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9wcXJzdHV2d3h5'.slice(0, 68)}${eol}`;
  const head = `Message-ID: <big-${n}@example>${eol}Subject: scan ${n}${eol}${eol}`;
  const data = Buffer.from(head + line.repeat(Math.ceil(bytes / line.length)), 'latin1');
  return { format: 'rfc822', data, flags: ['\\Seen'], date: new Date(Date.UTC(2024, 0, n)) };
}

describe('connectors: probes of large messages hashed off the main thread', () => {
  it('gives probeOf\'s probe for CRLF and bare-LF mail, hashed by the worker', async function () {
    this.timeout(30_000);
    const before = hashedOffThread();
    for (const eol of ['\r\n', '\n']) {
      const content = message(1, 2 * HASH_OFF_THREAD_BYTES, eol);
      assert.deepEqual(await probeOfAsync(content), probeOf(content));
    }
    assert.equal(hashedOffThread() - before, 2, 'both were hashed on the worker thread');
  });

  it('answers several at once, each with its own probe', async function () {
    this.timeout(30_000);
    const contents = [1, 2, 3, 4, 5, 6].map((n) => message(n, HASH_OFF_THREAD_BYTES + n * 1000, n % 2 ? '\r\n' : '\n'));
    const probes = await Promise.all(contents.map((c) => probeOfAsync(c)));
    assert.deepEqual(probes, contents.map((c) => probeOf(c)));
    assert.equal(new Set(probes.map((p) => p.fingerprint)).size, contents.length);
  });

  it('hashes a small message here, as before', async () => {
    const before = hashedOffThread();
    const content = message(9, 1000, '\r\n');
    assert.deepEqual(await probeOfAsync(content), probeOf(content));
    assert.equal(hashedOffThread(), before);
  });
});
