// The bare-LF count of a probe (bareLineFeeds.ts) comes from a WebAssembly SIMD scan, 16 bytes at a
// time, in steps of 32 KiB: it must count exactly what the indexOf loop counts, wherever a LF, a CR
// or a CRLF falls against a 16-byte block, a step or the byte before the bytes given.
import * as assert from 'node:assert/strict';
import { bareLineFeedsByIndexOf, bareLineFeedsInWasm, countBareLineFeeds } from '../../../src/connectors/bareLineFeeds';
import { prng } from '../helpers/prng';

/** `length` bytes of LF, CR and other bytes (NUL among them), LF and CR often next to each other. */
function bytes(length: number, seed: number): Buffer {
  const rnd = prng(seed);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = [0x0a, 0x0d, 0x41, 0x00, 0xff, 0x0a, 0x0d][Math.floor(rnd() * 7)];
  return out;
}

describe('connectors: bare LFs counted by the WebAssembly scan', () => {
  it('runs on this Node (WebAssembly SIMD)', () => {
    assert.ok(bareLineFeedsInWasm());
  });

  it('counts what the indexOf loop counts, any length, any byte before', () => {
    const lengths = [0, 1, 2, 15, 16, 17, 31, 32, 33, 100, 32_767, 32_768, 32_769, 65_536 + 5, 200_001];
    for (const [n, length] of lengths.entries()) {
      const data = bytes(length, n + 1);
      for (const before of [-1, 0x0d, 0x0a, 0x41]) assert.equal(countBareLineFeeds(data, before), bareLineFeedsByIndexOf(data, before), `${length} bytes after ${before}`);
    }
  });

  it('sees a LF at every position of a block and of a 32 KiB step, after a CR or not', () => {
    const data = Buffer.alloc(32_768 + 40, 0x41);
    for (const at of [0, 1, 14, 15, 16, 17, 31, 32, 32_767, 32_768, 32_769, 32_768 + 39]) {
      data[at] = 0x0a;
      assert.equal(countBareLineFeeds(data), 1, `LF at ${at}`);
      if (at > 0) {
        data[at - 1] = 0x0d;
        assert.equal(countBareLineFeeds(data), 0, `CRLF at ${at - 1}`);
        data[at - 1] = 0x41;
      } else {
        assert.equal(countBareLineFeeds(data, 0x0d), 0, 'LF first, after a CR');
      }
      data[at] = 0x41;
    }
  });

  it('counts nothing beyond the bytes given (a view of a larger buffer, a LF right after its end)', () => {
    const whole = Buffer.from('ab\ncd\n\n\n\n', 'latin1');
    assert.equal(countBareLineFeeds(whole.subarray(0, 3)), 1);
    assert.equal(countBareLineFeeds(whole.subarray(3, 5)), 0);
    assert.equal(countBareLineFeeds(new Uint8Array(whole.buffer, whole.byteOffset + 1, 5)), 2);
  });

  it('a long mail body: the same count, steps after steps', () => {
    const lines: string[] = [];
    for (let i = 0; i < 60_000; i++) lines.push(`${String(i).padStart(70, 'x')}${i % 997 === 0 ? '\n' : '\r\n'}`);
    const data = Buffer.from(lines.join(''), 'latin1');
    assert.equal(countBareLineFeeds(data), bareLineFeedsByIndexOf(data));
    assert.equal(countBareLineFeeds(data), 61);
  });
});
