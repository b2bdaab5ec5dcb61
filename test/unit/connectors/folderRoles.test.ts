import * as assert from 'node:assert/strict';
import { defaultFolderName, roleFromPath, roleFromSpecialUse, specialUseForRole } from '../../../src/connectors/folderRoles';
import type { FolderRole } from '../../../src/connectors/types';

describe('connectors: folder roles', () => {
  const byName: readonly [string[], FolderRole | undefined][] = [
    [['INBOX'], 'inbox'],
    [['Inbox'], 'inbox'],
    [['Sent'], 'sent'],
    [['Sent Items'], 'sent'],
    [['Sent Messages'], 'sent'],
    [['Trash'], 'deleted'],
    [['Deleted Items'], 'deleted'],
    [['Junk'], 'junk'],
    [['Spam'], 'junk'],
    [['Junk E-mail'], 'junk'],
    [['Drafts'], 'drafts'],
    [['Archive'], 'archive'],
    [['Éléments envoyés'], 'sent'],
    [['INBOX', 'Sent'], 'sent'],
    [['[Gmail]', 'Sent Mail'], 'sent'],
    [['[Gmail]', 'All Mail'], 'all'],
    [['INBOX', 'Inbox'], undefined],
    [['Projects', 'Sent'], undefined],
    [['A', 'B', 'Sent'], undefined],
    [['Projects'], undefined],
    [[], undefined],
  ];
  for (const [path, role] of byName) {
    it(`${JSON.stringify(path)} -> ${role ?? 'no role'}`, () => assert.equal(roleFromPath(path), role));
  }

  it('maps SPECIAL-USE attributes both ways, case-insensitively', () => {
    assert.equal(roleFromSpecialUse('\\Sent'), 'sent');
    assert.equal(roleFromSpecialUse('\\TRASH'), 'deleted');
    assert.equal(roleFromSpecialUse('\\Junk'), 'junk');
    assert.equal(roleFromSpecialUse('\\Important'), undefined);
    assert.equal(roleFromSpecialUse(undefined), undefined);
    assert.equal(specialUseForRole('deleted'), '\\Trash');
    assert.equal(specialUseForRole('sent'), '\\Sent');
    assert.equal(specialUseForRole('inbox'), undefined);
    assert.equal(specialUseForRole('calendar'), undefined);
  });

  it('names a missing role folder in English', () => {
    assert.equal(defaultFolderName('deleted'), 'Trash');
    assert.equal(defaultFolderName('sent'), 'Sent');
  });
});
