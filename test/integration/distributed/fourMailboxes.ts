// The project the distributed fault tests run: four Maildir mailboxes (180 messages each, in INBOX
// and Archive) in a temporary folder, and the check that the destination holds each exactly once.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../../unit/helpers/repoRoot';
import { addMessages, messageHashes, planYaml } from '../engine/maildirFixture';

export const people = ['ann', 'bob', 'cyd', 'dan'];

export function project(): { dir: string; plan: string } {
  const dir = tempDir('dist');
  const src = path.join(dir, 'source');
  for (const who of people) {
    addMessages(src, `${who}@contoso.example`, ['INBOX'], 120, 1500);
    addMessages(src, `${who}@contoso.example`, ['Archive'], 60, 1500);
  }
  const plan = path.join(dir, 'p.migration.yaml');
  fs.writeFileSync(plan, planYaml(people));
  return { dir, plan };
}

export function assertSameSets(dir: string): void {
  for (const who of people) {
    const source = messageHashes(path.join(dir, 'source', `${who}@contoso.example`));
    const destination = messageHashes(path.join(dir, 'destination', `${who}@fabrikam.example`));
    assert.equal(destination.length, source.length, `${who}: as many items as the source, none twice`);
    assert.deepEqual(destination, source, `${who}: the same items`);
  }
}
