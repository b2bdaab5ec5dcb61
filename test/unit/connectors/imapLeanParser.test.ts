// The lean body reader's response parser (src/connectors/imap/lean/): a stream of server responses
// cut at every byte boundary gives the same responses as the stream whole, literals included
// (0 bytes, 8-bit bytes, CR and LF inside, a literal that ends a chunk), attributes in any order
// (UID after BODY[]), untagged EXISTS / EXPUNGE / flags-only FETCH between the bodies, quoted
// strings with escapes, NIL and nested lists, status responses with their codes.
import * as assert from 'node:assert/strict';
import { fetchedMessage, parseResponse, type ParsedResponse } from '../../../src/connectors/imap/lean/responseParser';
import { ImapProtocolError, ResponseReader } from '../../../src/connectors/imap/lean/responseReader';

const eightBit = Buffer.from([0x00, 0x0d, 0x0a, 0x80, 0xff, 0xc3, 0x28, 0x0d, 0x7b, 0x31, 0x7d, 0x0d, 0x0a, 0x29]);
const body1 = Buffer.from('Subject: one\r\n\r\nfirst body {5}\r\n* 3 EXISTS\r\nL1 OK not really\r\n', 'latin1');

/** A server's answer to a pipelined body fetch, with everything in the middle that may come. */
const stream = Buffer.concat([
  Buffer.from('* OK [UIDVALIDITY 3857529045] UIDs valid\r\n'),
  Buffer.from(`* 1 FETCH (UID 11 FLAGS (\\Seen $Label1) INTERNALDATE "17-Jul-1996 02:44:25 -0700" BODY[] {${body1.length}}\r\n`),
  body1,
  Buffer.from(')\r\n* 7 EXISTS\r\n* 2 FETCH (FLAGS (\\Flagged))\r\n'),
  Buffer.from(`* 3 FETCH (BODY[] {${eightBit.length}}\r\n`),
  eightBit,
  Buffer.from(' FLAGS () UID 13 INTERNALDATE " 1-Jan-2020 00:00:00 +0000")\r\n* 4 EXPUNGE\r\n'),
  Buffer.from('* 4 FETCH (UID 14 FLAGS (\\Answered) BODY[] {0}\r\n INTERNALDATE "02-Feb-2021 10:11:12 +0100")\r\n'),
  Buffer.from('* 5 FETCH (UID 15 BODY[] "quoted \\"body\\" \\\\ x" FLAGS NIL)\r\n'),
  Buffer.from('* LIST (\\HasNoChildren (nested NIL "q")) "/" {4}\r\nab"c\r\n'),
  Buffer.from('L2 NO [EXPUNGEISSUED] Some messages were expunged\r\n'),
  Buffer.from('+ eyJzdGF0dXMiOiI0MDAifQ==\r\n'),
  Buffer.from('L3 OK [READ-ONLY] Examine completed (0.001 + 0.000 secs).\r\n'),
]);

/** The responses of `chunks` fed one after another. */
function read(chunks: Buffer[]): ParsedResponse[] {
  const out: ParsedResponse[] = [];
  const reader = new ResponseReader((raw) => out.push(parseResponse(raw)));
  for (const chunk of chunks) reader.push(chunk);
  assert.ok(reader.idle, 'nothing left over');
  return out;
}

const bodies = (responses: ParsedResponse[]) => responses.flatMap((r) => (r.kind === 'data' && r.name === 'FETCH' ? [fetchedMessage(r.values)] : []));

describe('IMAP lean reader: response parser', () => {
  const whole = read([stream]);

  it('reads each response whole: FETCH attributes in any order, literals with any bytes, untagged data between', () => {
    assert.equal(whole.length, 12);
    assert.deepEqual(whole[0], { kind: 'status', tag: '*', status: 'OK', code: 'UIDVALIDITY 3857529045', text: 'UIDs valid' });
    const fetched = bodies(whole);
    assert.deepEqual(
      fetched.map((m) => [m.uid, m.flags, m.internalDate]),
      [
        [11, ['\\Seen', '$Label1'], '17-Jul-1996 02:44:25 -0700'],
        [undefined, ['\\Flagged'], undefined],
        [13, [], ' 1-Jan-2020 00:00:00 +0000'],
        [14, ['\\Answered'], '02-Feb-2021 10:11:12 +0100'],
        [15, [], undefined],
      ],
    );
    assert.deepEqual(fetched[0].body, body1, 'a literal that looks like responses is bytes');
    assert.equal(fetched[1].body, undefined, 'a flags update has no body');
    assert.deepEqual(fetched[2].body, eightBit, '8-bit bytes, NUL, CR and LF are kept as sent');
    assert.equal(fetched[3].body?.length, 0, 'a literal of 0 bytes');
    assert.deepEqual(fetched[4].body, Buffer.from('quoted "body" \\ x'), 'a quoted string with escapes');
    assert.deepEqual(whole.slice(1, 3).concat(whole.slice(4, 5)).map((r) => r.kind === 'data' && [r.number, r.name]), [[1, 'FETCH'], [7, 'EXISTS'], [3, 'FETCH']]);
    assert.deepEqual(whole[5], { kind: 'data', number: 4, name: 'EXPUNGE', values: [] });
    assert.deepEqual(whole[8], { kind: 'data', name: 'LIST', values: [['\\HasNoChildren', ['nested', null, 'q']], '/', Buffer.from('ab"c')] });
    assert.deepEqual(whole[9], { kind: 'status', tag: 'L2', status: 'NO', code: 'EXPUNGEISSUED', text: 'Some messages were expunged' });
    assert.deepEqual(whole[10], { kind: 'continuation', text: 'eyJzdGF0dXMiOiI0MDAifQ==' });
    assert.deepEqual(whole[11], { kind: 'status', tag: 'L3', status: 'OK', code: 'READ-ONLY', text: 'Examine completed (0.001 + 0.000 secs).' });
  });

  it('gives the same responses when the stream is cut at any byte boundary', () => {
    for (let at = 1; at < stream.length; at++) {
      assert.deepEqual(read([stream.subarray(0, at), stream.subarray(at)]), whole, `cut at byte ${at}`);
    }
  });

  it('gives the same responses when the bytes come one at a time, or in three pieces around each literal', () => {
    assert.deepEqual(read([...stream].map((b) => Buffer.from([b]))), whole);
    for (let at = 1; at + 7 < stream.length; at += 5) {
      assert.deepEqual(read([stream.subarray(0, at), stream.subarray(at, at + 7), stream.subarray(at + 7)]), whole, `cut at ${at} and ${at + 7}`);
    }
  });

  it('puts a literal into a Buffer of its own, of its announced size (not a view of the chunk)', () => {
    const chunk = Buffer.from(`* 1 FETCH (UID 1 BODY[] {${body1.length}}\r\n${body1.toString('latin1')})\r\n`, 'latin1');
    const body = bodies(read([chunk]))[0].body!;
    chunk.fill(0);
    assert.deepEqual(body, body1);
  });

  it('refuses what is not IMAP', () => {
    assert.throws(() => read([Buffer.from('* 1 FETCH (UID 1 FLAGS (\\Seen)\r\n')]), ImapProtocolError);
    assert.throws(() => read([Buffer.from('L1 FETCH (UID 1)\r\n')]), ImapProtocolError);
    assert.throws(() => read([Buffer.from('* 1 FETCH (UID 1 "open\r\n')]), ImapProtocolError);
  });
});
