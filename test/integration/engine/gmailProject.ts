// A plan (and its state store, in a fresh temp folder) moving Gmail mailboxes of the fake Google
// into another endpoint: one batch, one item per [source, destination]; the service account's JSON
// key is the secret GKEY; the fake's token endpoint and API root are the endpoint's URLs.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import type { TestDomain } from '../../servers/fakeGoogle/testDomain';

export function gmailEndpointYaml(d: TestDomain): string {
  return `{ type: gmail, domain: ${d.fake.admin.domainName}, serviceAccount: { clientEmail: ${d.key.client_email}, privateKey: { secret: GKEY } }, adminEmail: ${d.admin}, tokenUrl: '${d.fake.tokenUrl}', apiRootUrl: '${d.fake.url}/' }`;
}

export function gmailProject(d: TestDomain, destinationYaml: string, items: { source: string; destination: string; destinationAuth?: string }[], options = ''): { plan: ReturnType<typeof loadPlan>['plan']; store: Store; dir: string; file: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-gmail-engine-'));
  const text = `version: 1
project: { name: Gmail }
endpoints:
  google: ${gmailEndpointYaml(d)}
  dst: ${destinationYaml}
source: google
destination: dst
${options}batches:
  - name: Main
    items:
${items.map((i) => `      - source: ${i.source}\n        destination: ${i.destination}\n${i.destinationAuth ? `        destinationAuth: ${i.destinationAuth}\n` : ''}`).join('')}`;
  const file = path.join(dir, 'p.migration.yaml');
  fs.writeFileSync(file, text);
  return { plan: loadPlan(file).plan, store: Store.open(path.join(dir, '.ferry')), dir, file };
}
