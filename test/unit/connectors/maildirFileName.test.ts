import * as assert from 'node:assert/strict';
import { flagsFromInfo, infoFromFlags, newUniqueName, parseFileName } from '../../../src/connectors/maildir/maildirFileName';

describe('connectors: Maildir file names', () => {
  it('splits the unique part from the flag letters', () => {
    assert.deepEqual(parseFileName('1700000000.M1P2.host,S=10,W=12:2,FRS'), { id: '1700000000.M1P2.host,S=10,W=12', info: 'FRS' });
    assert.deepEqual(parseFileName('1700000000.1_1.host'), { id: '1700000000.1_1.host', info: '' });
    assert.deepEqual(parseFileName('1700000000.1_1.host:1,experimental'), { id: '1700000000.1_1.host', info: '' });
  });

  it('maps standard letters to IMAP flags and lower-case letters to keywords', () => {
    const keywords: Record<string, string> = { a: '$Forwarded', b: 'Work' };
    assert.deepEqual(flagsFromInfo('DFPRSTab', (l) => keywords[l]), ['\\Draft', '\\Flagged', '$Forwarded', '\\Answered', '\\Seen', '\\Deleted', 'Work']);
    assert.deepEqual(flagsFromInfo('Sz', () => undefined), ['\\Seen']);
  });

  it('writes letters in ASCII order, drops \\Recent and unknown system flags', () => {
    assert.equal(infoFromFlags(['\\Seen', '\\Answered', '\\Flagged', '\\Recent', '\\Unknown', 'Work'], () => 'a'), 'FRSa');
    assert.equal(infoFromFlags(['\\seen', '\\draft'], () => undefined), 'DS');
  });

  it('writes $Forwarded as a keyword letter, never P (Dovecot ignores P); reads P as $Forwarded', () => {
    const assigned: string[] = [];
    assert.equal(infoFromFlags(['\\Seen', '$Forwarded'], (k) => (assigned.push(k), 'a')), 'Sa');
    assert.deepEqual(assigned, ['$Forwarded']);
    assert.deepEqual(flagsFromInfo('PS', () => undefined), ['$Forwarded', '\\Seen']);
    assert.deepEqual(flagsFromInfo('PSa', () => '$Forwarded'), ['$Forwarded', '\\Seen'], 'once when both say it');
  });

  it('makes unique names with the size in them', () => {
    const a = newUniqueName(10, 1_700_000_000_000);
    const b = newUniqueName(10, 1_700_000_000_000);
    assert.notEqual(a, b);
    assert.match(a, /^1700000000\.\d+_\d+\.[^/:]+,S=10$/);
  });
});
