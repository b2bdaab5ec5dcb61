import * as assert from 'node:assert/strict';
import { decodeMutf7, encodeMutf7 } from '../../../src/connectors/maildir/mutf7';

describe('connectors: modified UTF-7 folder names', () => {
  // Values as Dovecot writes them on disk (checked against a real Dovecot Maildir in the integration suite).
  const cases: readonly [string, string][] = [
    ['Projets', 'Projets'],
    ['Été 2026', '&AMk-t&AOk- 2026'],
    ['Входящие', '&BBIERQQ+BDQETwRJBDgENQ-'],
    ['Tom & Jerry', 'Tom &- Jerry'],
    ['日本語', '&ZeVnLIqe-'],
    ['😀', '&2D3eAA-'],
  ];
  for (const [plain, encoded] of cases) {
    it(`${plain} <-> ${encoded}`, () => {
      assert.equal(encodeMutf7(plain), encoded);
      assert.equal(decodeMutf7(encoded), plain);
    });
  }

  it('refuses what is not modified UTF-7', () => {
    assert.equal(decodeMutf7('&AMk'), undefined);
    assert.equal(decodeMutf7('&A/k-'), undefined);
    assert.equal(decodeMutf7('Été'), undefined);
  });
});
