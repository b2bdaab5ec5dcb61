// The lean reader reads large bodies into memory the engine hands back once a body is written
// (bodyPool.ts): a body's memory is never given to another body before that, a reused one holds the
// new body's bytes and its own probe, and a body handed back twice or not from the pool changes nothing.
import * as assert from 'node:assert/strict';
import { BodyPool } from '../../../src/connectors/imap/lean/bodyPool';
import { fetchedMessage, parseResponse } from '../../../src/connectors/imap/lean/responseParser';
import { ResponseReader } from '../../../src/connectors/imap/lean/responseReader';
import { knownHashes, probeHashes } from '../../../src/connectors/fingerprint';
import { largeItemBytes } from '../../../src/connectors/types';

/** A body of `bytes` CRLF lines whose every line names `tag`. */
const body = (tag: string, bytes: number): Buffer => Buffer.from(`Subject: ${tag}\r\n\r\n` + `${tag} line of the body\r\n`.repeat(Math.ceil(bytes / (tag.length + 19))), 'latin1');

/** Reads one FETCH response carrying `data` through `reader`, in 64 KB pieces; returns the body read. */
function fetchThrough(reader: ResponseReader, got: Buffer[], uid: number, data: Buffer): Buffer {
  const stream = Buffer.concat([Buffer.from(`* ${uid} FETCH (UID ${uid} BODY[] {${data.length}}\r\n`), data, Buffer.from(')\r\n')]);
  for (let at = 0; at < stream.length; at += 65_536) reader.push(stream.subarray(at, at + 65_536));
  return got[got.length - 1];
}

/** A response reader taking large literals from `pool`; `got` collects the bodies of its FETCH responses. */
function pooledReader(pool: BodyPool): { reader: ResponseReader; got: Buffer[] } {
  const got: Buffer[] = [];
  const reader = new ResponseReader((raw) => {
    const r = parseResponse(raw);
    if (r.kind === 'data' && r.name === 'FETCH') got.push(fetchedMessage(r.values).body!);
  }, pool);
  return { reader, got };
}

describe('IMAP lean reader: large bodies in reused memory', () => {
  it('gives a body memory no other body holds until it is handed back; then a next body gets it, with its own probe', () => {
    const pool = new BodyPool();
    const { reader, got } = pooledReader(pool);
    const [a, b, c] = [body('alpha', 3 * largeItemBytes), body('bravo', 3 * largeItemBytes), body('charlie', 2 * largeItemBytes)];
    const first = fetchThrough(reader, got, 1, a);
    const second = fetchThrough(reader, got, 2, b);
    assert.notEqual(second.buffer, first.buffer, 'a body not handed back keeps its memory');
    assert.ok(first.equals(a) && second.equals(b));
    pool.release(first);
    pool.release(first);
    pool.release(Buffer.from(a));
    const third = fetchThrough(reader, got, 3, c);
    assert.equal(third.buffer, first.buffer, 'the memory handed back is reused');
    assert.notEqual(third, first, 'in a new Buffer');
    assert.ok(third.equals(c) && second.equals(b));
    assert.deepEqual(knownHashes(third), probeHashes(Buffer.from(c)), 'the probe of the new body, not of the one before');
    const fourth = fetchThrough(reader, got, 4, a);
    assert.ok(fourth.buffer !== first.buffer && fourth.buffer !== second.buffer, 'handed back twice, given once');
    assert.ok(fourth.equals(a) && third.equals(c));
  });

  it('reads small bodies as before (their own Buffers, not from the pool)', () => {
    const pool = new BodyPool();
    const { reader, got } = pooledReader(pool);
    const small = fetchThrough(reader, got, 1, body('small', 1_000));
    pool.release(small);
    const large = fetchThrough(reader, got, 2, body('large', 2 * largeItemBytes));
    assert.notEqual(large.buffer, small.buffer);
  });
});
