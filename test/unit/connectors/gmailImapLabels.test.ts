// Gmail's IMAP view of a message (X-GM-LABELS, FLAGS, the [Gmail]/ folder) as the API's label ids
// the shared label mapping takes.
import * as assert from 'node:assert/strict';
import { labelIdsOf, otherFlags, userLabel, userLabelId } from '../../../src/connectors/imap/gmailImapLabels';
import { mapLabels } from '../../../src/connectors/gmail/labelMapping';

describe('Gmail IMAP labels as Gmail API label ids', () => {
  it('system labels by their ids, user labels by name, UNREAD and STARRED from the flags, SPAM/TRASH from the folder', () => {
    assert.deepEqual(labelIdsOf({ labels: ['\\Inbox', '\\Important', 'Work/Projects'], flags: ['\\Flagged'], from: 'all' }).sort(), ['IMPORTANT', 'INBOX', 'STARRED', 'UNREAD', userLabelId('Work/Projects')].sort());
    assert.deepEqual(labelIdsOf({ labels: ['\\Sent', '\\Draft'], flags: ['\\Seen', '\\Draft'], from: 'all' }).sort(), ['DRAFT', 'SENT']);
    assert.deepEqual(labelIdsOf({ labels: ['Work'], flags: ['\\Seen'], from: 'trash' }).sort(), ['TRASH', userLabelId('Work')].sort());
    assert.deepEqual(labelIdsOf({ labels: [], flags: [], from: 'junk' }).sort(), ['SPAM', 'UNREAD']);
    // Non-ASCII names come in modified UTF-7, as folder names do; '&' alone stays as sent.
    assert.deepEqual(labelIdsOf({ labels: ['Projets/&AMk-t&AOk-', 'R&D'], flags: ['\\Seen'], from: 'all' }).sort(), [userLabelId('Projets/Été'), userLabelId('R&D')].sort());
  });

  it('feeds the shared mapping: a label named like a system key stays a user label', () => {
    const labels = [userLabel('INBOX-old'), userLabel('ARCHIVE'), userLabel('Work')];
    const placed = mapLabels(labelIdsOf({ labels: ['ARCHIVE', 'Work'], flags: ['\\Seen'], from: 'all' }), labels);
    assert.deepEqual(placed.folders.map((f) => f.path.join('/')), ['ARCHIVE', 'Work']);
    assert.deepEqual(otherFlags(['\\Seen', '\\Answered', '$Forwarded', '\\Recent', '\\Flagged']), ['\\Answered', '$Forwarded']);
  });
});
