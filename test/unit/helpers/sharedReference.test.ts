// The helper every test that reads ../shared goes through: the path where the material is, else one
// line saying why the test skips.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from './repoRoot';
import { sharedPath } from './sharedReference';

describe('sharedReference: ../shared beside the repository', () => {
  it('gives the path when present, else a one-line reason that names what is missing', () => {
    const base = tempDir('shared-ref');
    try {
      const root = path.join(base, 'ferry');
      fs.mkdirSync(root);
      assert.deepEqual(sharedPath('seeds/004.txt', root), { skip: 'skipped: ../shared/seeds absent (a fresh clone has no ../shared)' });
      fs.mkdirSync(path.join(base, 'shared', 'seeds'), { recursive: true });
      assert.deepEqual(sharedPath('seeds/004.txt', root), { skip: 'skipped: ../shared/seeds/004.txt absent' });
      fs.writeFileSync(path.join(base, 'shared', 'seeds', '004.txt'), '');
      assert.deepEqual(sharedPath('seeds/004.txt', root), { path: path.join(base, 'shared', 'seeds', '004.txt') });
    } finally {
      fs.rmSync(base, { recursive: true, force: true });
    }
  });
});
