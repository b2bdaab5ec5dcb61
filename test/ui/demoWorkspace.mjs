// The UI test's workspace: the demo project (plan, CSV, sample Maildirs) copied fresh, with one
// more pilot mailbox that has no Maildir, so that the run records an error to show.
import fs from 'node:fs';
import path from 'node:path';

export function demoWorkspace(root, target) {
  fs.cpSync(path.join(root, 'examples', 'demo'), target, { recursive: true, filter: (src) => !/[\\/](\.ferry|destination)$/.test(src) });
  const plan = path.join(target, 'demo.migration.yaml');
  const text = fs.readFileSync(plan, 'utf8');
  const anchor = '      - source: ceo@contoso.example\n';
  if (!text.includes(anchor)) throw new Error('the demo plan changed: the UI test cannot add its failing mailbox');
  fs.writeFileSync(plan, text.replace(anchor, `${anchor}      # No Maildir for this one: the run reports MAILDIR-NOT-FOUND on this line.\n      - source: ghost@contoso.example\n`));
  return target;
}
