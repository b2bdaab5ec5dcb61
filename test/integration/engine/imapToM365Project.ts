// A plan (and its state store, in a fresh temp folder) moving IMAP mailboxes of a test Dovecot into
// the fake Microsoft 365: one batch, one item per [source, destination], the IMAP password a
// secret named SRC, the tenant's app secret M365_SECRET.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import type { TestTenant } from '../../servers/fakeM365/testTenant';

export function imapToM365Project(imapPort: number, t: TestTenant, items: [string, string][], name = 'M365'): { plan: ReturnType<typeof loadPlan>['plan']; store: Store; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-m365-engine-'));
  const text = `version: 1
project: { name: ${name} }
endpoints:
  src: { type: imap, host: 127.0.0.1, port: ${imapPort}, security: none }
  dst: ${t.endpointYaml()}
source: src
destination: dst
batches:
  - name: Main
    items:
${items.map(([src, dst]) => `      - source: ${src}\n        destination: ${dst}\n        sourceAuth: { username: '${src}', password: { secret: SRC } }`).join('\n')}
`;
  fs.writeFileSync(path.join(dir, 'p.migration.yaml'), text);
  return { plan: loadPlan(path.join(dir, 'p.migration.yaml')).plan, store: Store.open(path.join(dir, '.ferry')), dir };
}
