// Keywords as IMAP atoms: free text (Gmail labels, Outlook categories) never makes a server refuse an APPEND.
import * as assert from 'node:assert/strict';
import { imapFlag } from '../../../src/connectors/imap/imapKeywords';

describe('connectors: IMAP keywords as atoms', () => {
  it('keeps system flags and atoms, writes other text in modified UTF-7 with _ for atom-specials', () => {
    assert.deepEqual(['\\Seen', '$Important', 'Work/Projects', 'R&D'].map(imapFlag), ['\\Seen', '$Important', 'Work/Projects', 'R&D']);
    assert.equal(imapFlag('Projets/Été'), 'Projets/&AMk-t&AOk-');
    assert.equal(imapFlag('My receipts (2024)'), 'My_receipts__2024_');
    assert.equal(imapFlag(''), '_');
  });
});
