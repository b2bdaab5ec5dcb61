import * as assert from 'node:assert/strict';
import { archiveFolder, labelFolders, labelPath, mapLabels, placedIn, type GmailLabel } from '../../../../src/connectors/gmail/labelMapping';

const labels: GmailLabel[] = [
  { id: 'INBOX', name: 'INBOX', type: 'system' },
  { id: 'SENT', name: 'SENT', type: 'system' },
  { id: 'DRAFT', name: 'DRAFT', type: 'system' },
  { id: 'SPAM', name: 'SPAM', type: 'system' },
  { id: 'TRASH', name: 'TRASH', type: 'system' },
  { id: 'UNREAD', name: 'UNREAD', type: 'system' },
  { id: 'STARRED', name: 'STARRED', type: 'system' },
  { id: 'IMPORTANT', name: 'IMPORTANT', type: 'system' },
  { id: 'CATEGORY_SOCIAL', name: 'CATEGORY_SOCIAL', type: 'system' },
  { id: 'Label_1', name: 'Projects', type: 'user' },
  { id: 'Label_2', name: 'Projects/Alpha', type: 'user' },
  { id: 'Label_3', name: 'Receipts', type: 'user' },
];
const keys = (ids: string[], mode: 'folders' | 'categories' | 'both' = 'folders') => mapLabels(ids, labels, mode).folders.map((f) => f.key);

describe('connectors: gmail label mapping', () => {
  it('folders (the default): each label a folder, a multi-label message once in each, nested labels nested', () => {
    assert.deepEqual(keys(['INBOX', 'Label_2', 'Label_3']), ['INBOX', 'Label_2', 'Label_3']);
    assert.deepEqual(mapLabels(['Label_2'], labels).folders, [{ key: 'Label_2', path: ['Projects', 'Alpha'] }]);
    assert.deepEqual(mapLabels(['INBOX', 'Label_1'], labels).keywords, []);
    assert.deepEqual(keys(['Label_1', 'Label_1']), ['Label_1'], 'a label listed twice is one folder');
  });

  it('All Mail only (or only dropped labels) goes to the archive folder once', () => {
    assert.deepEqual(mapLabels([], labels).folders, [archiveFolder]);
    assert.deepEqual(keys(['CATEGORY_SOCIAL', 'IMPORTANT', 'UNREAD', 'Label_gone']), ['ARCHIVE']);
  });

  it('categories: one folder (the primary place) and the user labels as keywords', () => {
    const p = mapLabels(['INBOX', 'SENT', 'Label_3', 'Label_2'], labels, 'categories');
    assert.deepEqual(p.folders.map((f) => f.key), ['INBOX']);
    assert.deepEqual(p.keywords, ['Projects/Alpha', 'Receipts']);
    assert.deepEqual(keys(['Label_1'], 'categories'), ['ARCHIVE']);
    assert.deepEqual(keys(['SENT'], 'categories'), ['SENT']);
  });

  it('both: the folders of `folders`, each copy with the labels as keywords', () => {
    const p = mapLabels(['INBOX', 'Label_1', 'IMPORTANT'], labels, 'both');
    assert.deepEqual(p.folders.map((f) => f.key), ['INBOX', 'Label_1']);
    assert.deepEqual(p.keywords, ['$Important', 'Projects']);
  });

  it('trash and spam win in every mode, labels kept as keywords', () => {
    for (const mode of ['folders', 'categories', 'both'] as const) {
      const t = mapLabels(['TRASH', 'INBOX', 'Label_1'], labels, mode);
      assert.deepEqual(t.folders, [{ key: 'TRASH', path: ['Deleted Items'], role: 'deleted' }]);
      assert.deepEqual(t.keywords, ['Projects']);
      assert.deepEqual(keys(['SPAM', 'Label_3'], mode), ['SPAM']);
    }
  });

  it('drafts go to Drafts only, with \\Draft', () => {
    const d = mapLabels(['DRAFT', 'Label_3'], labels);
    assert.deepEqual(d.folders.map((f) => [f.key, f.role]), [['DRAFT', 'drafts']]);
    assert.deepEqual(d.flags, ['\\Seen', '\\Draft']);
    assert.deepEqual(d.keywords, ['Receipts']);
  });

  it('flags: UNREAD absent is \\Seen, STARRED is \\Flagged, IMPORTANT is $Important; CATEGORY_* dropped', () => {
    assert.deepEqual(mapLabels(['INBOX', 'UNREAD', 'STARRED', 'IMPORTANT', 'CATEGORY_SOCIAL'], labels), {
      folders: [{ key: 'INBOX', path: ['Inbox'], role: 'inbox' }],
      flags: ['\\Flagged'],
      keywords: ['$Important'],
    });
    assert.deepEqual(mapLabels(['INBOX'], labels).flags, ['\\Seen']);
  });

  it('labelFolders lists the system folders, every user label and the archive; placedIn filters a folder', () => {
    assert.deepEqual(labelFolders(labels).map((f) => f.key), ['TRASH', 'SPAM', 'DRAFT', 'INBOX', 'SENT', 'Label_1', 'Label_2', 'Label_3', 'ARCHIVE']);
    assert.equal(placedIn('Label_1', ['INBOX', 'Label_1'], labels, 'folders'), true);
    assert.equal(placedIn('Label_1', ['INBOX', 'Label_1'], labels, 'categories'), false);
    assert.deepEqual(labelPath('a//b/'), ['a', 'b']);
  });
});
