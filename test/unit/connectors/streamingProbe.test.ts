// A large body read by the IMAP source's lean reader is hashed as its bytes arrive
// (streamingProbe.ts): the probe is exactly probeOf's (CRLF mail, bare LFs, a CR ending one piece and
// its LF starting the next), whatever the pieces, and it is there when the engine asks: no second
// pass over the message, no hash thread.
import * as assert from 'node:assert/strict';
import { fetchedMessage, parseResponse } from '../../../src/connectors/imap/lean/responseParser';
import { ResponseReader } from '../../../src/connectors/imap/lean/responseReader';
import { holdsNul, knownHashes, probeHashes, probeOf } from '../../../src/connectors/fingerprint';
import { HASH_OFF_THREAD_BYTES, hashedOffThread, probeOfAsync } from '../../../src/connectors/offThreadHash';
import { StreamingProbe } from '../../../src/connectors/streamingProbe';
import type { ItemContent } from '../../../src/connectors/types';
import { prng } from '../helpers/prng';

/** About `bytes` of mail lines ending in `eol` (a function: each line may end its own way). */
function mail(bytes: number, eol: (i: number) => string): Buffer {
  const lines: string[] = ['Message-ID: <big@example>\r\n', 'Subject: scan\r\n', '\r\n'];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const line = `${String(i).padStart(8, '0')}QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVphYmNkZWZnaGlqa2xtbm9w${eol(i)}`;
    lines.push(line);
    size += line.length;
  }
  return Buffer.from(lines.join(''), 'latin1');
}

/** `data` cut into pieces of random sizes (1 byte to 70 KB). */
function pieces(data: Buffer, seed: number): Buffer[] {
  const rnd = prng(seed);
  const out: Buffer[] = [];
  for (let at = 0; at < data.length; ) {
    const n = 1 + Math.floor(rnd() * (rnd() < 0.3 ? 16 : 70_000));
    out.push(data.subarray(at, at + n));
    at += n;
  }
  return out;
}

const copy = (data: Buffer): Buffer => Buffer.from(data);
const streamed = (data: Buffer, parts: Buffer[]): ReturnType<StreamingProbe['finish']> => {
  const probe = new StreamingProbe();
  for (const p of parts) probe.update(p);
  return probe.finish(data);
};

describe('connectors: probe hashes computed as the bytes arrive', () => {
  const cases: [string, Buffer][] = [
    ['CRLF mail', mail(300_000, () => '\r\n')],
    ['bare-LF mail', mail(300_000, () => '\n')],
    ['mixed, a bare LF first', Buffer.concat([Buffer.from('\n'), mail(100_000, (i) => (i % 3 ? '\r\n' : '\n'))])],
  ];
  for (const [name, data] of cases) {
    it(`gives probeHashes' answer for ${name}, cut anywhere`, () => {
      const whole = probeHashes(copy(data));
      for (const seed of [1, 2, 3]) assert.deepEqual(streamed(copy(data), pieces(data, seed)), whole);
      assert.deepEqual(streamed(copy(data), [data]), whole, 'one piece');
    });
  }

  it('counts a LF after a CR that ended the previous piece as no bare LF', () => {
    const data = Buffer.from('a\r\nb\r\nc\nd\r\n', 'latin1');
    for (let cut = 0; cut <= data.length; cut++) {
      const d = copy(data);
      assert.deepEqual(streamed(d, [data.subarray(0, cut), data.subarray(cut)]), probeHashes(copy(data)), `cut at ${cut}`);
    }
  });

  it('sees a NUL byte as the pieces arrive: MULTIAPPEND asks holdsNul, which does not scan the message again', () => {
    const data = mail(300_000, () => '\r\n');
    for (const at of [0, 1, 150_000, data.length - 1]) {
      const withNul = copy(data);
      withNul[at] = 0;
      streamed(withNul, pieces(withNul, at + 1));
      assert.equal(holdsNul(withNul), true, `NUL at ${at}`);
    }
    const clean = copy(data);
    streamed(clean, pieces(clean, 9));
    assert.equal(holdsNul(clean), false);
    // What was seen as it arrived is the answer (the bytes of a read body never change; this one is
    // changed here only to show that the message is not scanned again).
    clean[10] = 0;
    assert.equal(holdsNul(clean), false, 'answered from the pieces, not from a second scan');
    assert.equal(holdsNul(copy(clean)), true, 'a body not streamed is scanned');
  });

  it('refuses a message that is not the bytes it hashed', () => {
    const probe = new StreamingProbe();
    probe.update(Buffer.from('abc'));
    assert.throws(() => probe.finish(Buffer.from('abcd')), /3 bytes hashed, the message has 4/);
  });

  it('a large body the lean reader reads comes with its probe: no hash thread, the same probe as probeOf', () => {
    const body = mail(HASH_OFF_THREAD_BYTES + 50_000, (i) => (i === 7 ? '\n' : '\r\n'));
    const small = mail(2_000, () => '\r\n');
    const stream = Buffer.concat([
      Buffer.from(`* 1 FETCH (UID 5 FLAGS (\\Seen) INTERNALDATE " 1-Jan-2024 00:00:00 +0000" BODY[] {${body.length}}\r\n`),
      body,
      Buffer.from(`)\r\n* 2 FETCH (UID 6 FLAGS () BODY[] {${small.length}}\r\n`),
      small,
      Buffer.from(')\r\nL1 OK done\r\n'),
    ]);
    for (const seed of [4, 5]) {
      const got: Buffer[] = [];
      const reader = new ResponseReader((raw) => {
        const r = parseResponse(raw);
        if (r.kind === 'data' && r.name === 'FETCH') got.push(fetchedMessage(r.values).body!);
      });
      for (const p of pieces(stream, seed)) reader.push(p);
      assert.equal(got.length, 2);
      const [large, little] = got;
      assert.ok(knownHashes(large), 'hashed as it arrived');
      assert.equal(knownHashes(little), undefined, 'a small body is hashed when asked, as before');
      const content: ItemContent = { format: 'rfc822', data: large, flags: ['\\Seen'], date: new Date(Date.UTC(2024, 0, 1)) };
      const before = hashedOffThread();
      const probe = probeOfAsync(content);
      assert.ok(!(probe instanceof Promise), 'the probe is there at once');
      assert.deepEqual(probe, probeOf({ ...content, data: copy(body) }));
      assert.equal(hashedOffThread(), before, 'nothing went to the hash thread');
    }
  });
});

describe('IMAP lean reader: reads into the literal (connections without TLS)', () => {
  /** `stream` read the way net.Socket's onread reads it: into readTarget(), at most `max` bytes a read. */
  function readInto(stream: Buffer, seed: number, onResponse: ConstructorParameters<typeof ResponseReader>[0]): { reader: ResponseReader; targets: Buffer[] } {
    const reader = new ResponseReader(onResponse);
    const rnd = prng(seed);
    const targets: Buffer[] = [];
    for (let at = 0; at < stream.length; ) {
      const target = reader.readTarget();
      targets.push(target);
      const n = Math.min(target.length, stream.length - at, 1 + Math.floor(rnd() * 100_000));
      stream.copy(target, 0, at, at + n);
      reader.received(n, target);
      at += n;
    }
    return { reader, targets };
  }

  it('reads a large body straight into its own Buffer, small ones and lines through one reused buffer, the same responses as push()', () => {
    const large = mail(HASH_OFF_THREAD_BYTES + 70_000, () => '\r\n');
    const small = mail(3_000, () => '\r\n');
    const stream = Buffer.concat([
      Buffer.from(`* 1 FETCH (UID 5 FLAGS (\\Seen) BODY[] {${large.length}}\r\n`),
      large,
      Buffer.from(`)\r\n* 2 FETCH (UID 6 FLAGS () BODY[] {${small.length}}\r\n`),
      small,
      Buffer.from(')\r\nL1 OK done\r\n'),
    ]);
    const pushed: Buffer[] = [];
    const whole = new ResponseReader((raw) => pushed.push(...raw.literals));
    whole.push(stream);
    for (const seed of [6, 7, 8]) {
      const literals: Buffer[] = [];
      let responses = 0;
      const { reader, targets } = readInto(stream, seed, (raw) => {
        responses++;
        literals.push(...raw.literals);
      });
      assert.ok(reader.idle);
      assert.equal(responses, 3);
      assert.deepEqual(literals, pushed, 'the same bodies, byte for byte');
      const [body, little] = literals;
      const intoBody = targets.filter((t) => t.buffer === body.buffer);
      assert.ok(intoBody.length > 0, 'reads landed in the large body itself');
      assert.equal(targets.filter((t) => t.buffer === little.buffer).length, 0, 'a small body is copied from the reused buffer');
      const others = new Set(targets.filter((t) => t.buffer !== body.buffer).map((t) => t.buffer));
      assert.equal(others.size, 1, 'one reused buffer for everything else');
      assert.deepEqual(knownHashes(body), probeHashes(copy(large)), 'hashed as it was read');
    }
  });
});
