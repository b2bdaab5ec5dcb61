import * as assert from 'node:assert/strict';
import { contentFingerprint, crlfSize, exactHash, headerEnd, messageIdOf, probeOf, toCrlf } from '../../../src/connectors/fingerprint';
import { prng } from '../helpers/prng';

describe('connectors: fingerprint', () => {
  const cases: readonly [string, string, string][] = [
    ['bare LF', 'a\nb\n', 'a\r\nb\r\n'],
    ['CRLF stays', 'a\r\nb\r\n', 'a\r\nb\r\n'],
    ['mixed', 'a\r\nb\nc', 'a\r\nb\r\nc'],
    ['leading LF', '\nx', '\r\nx'],
    ['lone CR untouched', 'a\rb', 'a\rb'],
    ['empty', '', ''],
  ];
  for (const [name, input, expected] of cases) {
    it(`toCrlf: ${name}`, () => {
      const out = toCrlf(Buffer.from(input, 'latin1'));
      assert.equal(out.toString('latin1'), expected);
      assert.equal(crlfSize(Buffer.from(input, 'latin1')), expected.length);
    });
  }

  it('toCrlf and the probe give the same bytes and hashes with the bare LFs counted by the caller', () => {
    const rnd = prng(17);
    const bytes = [0x0a, 0x0d, 0x41, 0x20];
    for (let n = 0; n < 200; n++) {
      const data = Buffer.from(Array.from({ length: Math.floor(rnd() * 64) }, () => bytes[Math.floor(rnd() * bytes.length)]!));
      const crlf = toCrlf(data);
      const bare = crlf.length - data.length;
      assert.deepEqual(toCrlf(data, bare), crlf);
      assert.equal(contentFingerprint(data, bare), contentFingerprint(data));
      const probe = probeOf({ format: 'rfc822', data, flags: [], date: new Date(0) });
      assert.deepEqual([probe.sizeBytes, probe.exactHash, probe.fingerprint], [crlf.length, exactHash(data), exactHash(crlf)]);
    }
  });

  it('returns the same buffer when nothing changes (no copy for CRLF mail)', () => {
    const data = Buffer.from('a\r\nb\r\n');
    assert.equal(toCrlf(data), data);
  });

  it('fingerprints LF and CRLF versions alike, exact hashes differ', () => {
    const lf = Buffer.from('Subject: x\n\nbody\n');
    const crlf = Buffer.from('Subject: x\r\n\r\nbody\r\n');
    assert.equal(contentFingerprint(lf), contentFingerprint(crlf));
    assert.notEqual(exactHash(lf), exactHash(crlf));
    assert.notEqual(contentFingerprint(lf), contentFingerprint(Buffer.from('Subject: y\n\nbody\n')));
    assert.match(contentFingerprint(lf), /^[0-9a-f]{64}$/);
  });

  it('reads the Message-ID header: any case, folded, and only from the header block', () => {
    assert.equal(messageIdOf(Buffer.from('Subject: a\r\nmessage-id: <x@y>\r\n\r\nbody')), '<x@y>');
    assert.equal(messageIdOf(Buffer.from('Message-ID:\r\n <folded@y>\r\nSubject: a\r\n\r\n')), '<folded@y>');
    assert.equal(messageIdOf(Buffer.from('Subject: a\n\nMessage-ID: <in-body@y>\n')), undefined);
    assert.equal(messageIdOf(Buffer.from('Subject: a\r\n\r\n')), undefined);
  });

  it('finds the end of the header block in the bytes exactly where the text search finds it, whatever the line endings', () => {
    const rnd = prng(11);
    const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
    const endings = ['\r\n', '\n', '\r', '\r\n', '\r\r\n'];
    const lines = ['Subject: a', 'Message-ID: <m@x>', 'message-id:', ' <folded@x>', '\tmore', 'X: y', '', 'body', 'Message-ID: <body@x>', '\u00e9t\u00e9'];
    for (let i = 0; i < 3000; i++) {
      const text = Array.from({ length: Math.floor(rnd() * 9) }, () => pick(lines) + pick(endings)).join('') + (rnd() < 0.5 ? pick(lines) : '');
      const data = Buffer.from(text, rnd() < 0.5 ? 'latin1' : 'utf8');
      const head = data.toString('latin1');
      assert.equal(headerEnd(data), head.search(/\r?\n\r?\n/), JSON.stringify(text));
      // What messageIdOf gave when it searched the text of the whole message.
      const end = head.search(/\r?\n\r?\n/);
      const value = /^message-id[ \t]*:[ \t]*(.*?)[ \t]*\r?$/im.exec((end === -1 ? head : head.slice(0, end)).replace(/\r?\n[ \t]+/g, ' '))?.[1].trim();
      assert.equal(messageIdOf(data), value ? value : undefined, JSON.stringify(text));
    }
  });

  it('builds the findWritten probe with the CRLF size', () => {
    const data = Buffer.from('Message-ID: <p@q>\n\nhi\n');
    const probe = probeOf({ format: 'rfc822', data, flags: [], date: new Date(0) });
    assert.equal(probe.messageId, '<p@q>');
    assert.equal(probe.sizeBytes, data.length + 3);
    assert.equal(probe.fingerprint, contentFingerprint(data));
    assert.equal(probe.exactHash, exactHash(data));
    assert.equal(probeOf({ format: 'rfc822', data, flags: [], date: new Date(0) }, '<given@id>').messageId, '<given@id>');
  });
});
