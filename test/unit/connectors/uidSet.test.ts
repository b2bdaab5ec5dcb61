import * as assert from 'node:assert/strict';
import { chunksWithin } from '../../../src/connectors/chunks';
import { uidSet } from '../../../src/connectors/imap/uidSet';

describe('IMAP UID sets and runs', () => {
  it('writes consecutive UIDs as ranges and single ones alone', () => {
    assert.equal(uidSet([1, 2, 3, 4, 5, 9, 12, 13]), '1:5,9,12:13');
    assert.equal(uidSet([7]), '7');
    assert.equal(uidSet([]), '');
    assert.equal(uidSet(Array.from({ length: 20_000 }, (_, i) => i + 1)), '1:20000');
  });

  it('splits a list into runs within a count and a byte budget, an oversized element alone', () => {
    assert.deepEqual(chunksWithin([1, 2, 3, 4, 5], () => 1, { items: 2, bytes: Infinity }), [[1, 2], [3, 4], [5]]);
    assert.deepEqual(chunksWithin([10, 10, 50, 10], (n) => n, { items: 100, bytes: 25 }), [[10, 10], [50], [10]]);
    assert.deepEqual(chunksWithin([], () => 1, { items: 2, bytes: 2 }), []);
  });
});
