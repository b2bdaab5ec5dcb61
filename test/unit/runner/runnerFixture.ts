// A small Maildir project on disk for runner and command-line tests.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tempDir } from '../helpers/repoRoot';

export function maildirProject(messages = 5, options = ''): { dir: string; plan: string } {
  const dir = tempDir('runner');
  for (const who of ['ann', 'bob']) {
    const box = path.join(dir, 'source', `${who}@contoso.example`);
    for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(box, sub), { recursive: true });
    for (let i = 0; i < messages; i++) fs.writeFileSync(path.join(box, 'cur', `${1700000000 + i}.M${i}P1.test:2,S`), `Message-ID: <${who}-${i}@contoso.example>\nSubject: ${who} ${i}\n\nhello ${i}\n`);
  }
  const plan = path.join(dir, 'p.migration.yaml');
  fs.writeFileSync(
    plan,
    `version: 1
project: { name: Runner test }
endpoints:
  src: { type: maildir, path: ./source }
  dst: { type: maildir, path: ./destination, layout: fs }
source: src
destination: dst
${options}batches:
  - name: Main
    items:
      - { source: ann@contoso.example, destination: ann@fabrikam.example }
      - { source: bob@contoso.example, destination: bob@fabrikam.example }
`,
  );
  return { dir, plan };
}
