// Microsoft 365 sign-in through the runner, as the extension drives it: a device-code endpoint makes
// the runner ask its parent to show the code (signIn), the operator approves it, the pass runs and
// the runner sends the token cache back (tokenCache). A new runner handed that cache (tokenCaches)
// runs the next pass without asking again.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { DeviceCodeRequest } from '../../../src/connectors/m365/auth/deviceCode';
import type { PassSummary } from '../../../src/engine/summary';
import { RunnerClient } from '../../../src/runner/client';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { ensureBuilt } from './maildirFixture';

describe('runner: Microsoft 365 device-code sign-in and a kept token cache', function () {
  this.timeout(60_000);
  let t: TestTenant;

  before(async () => {
    t = await startTestTenant(['ann@contoso.test']);
  });
  after(async () => {
    await t?.fake.close();
  });

  it('asks once for a device code, then signs in from the cache it handed back', async () => {
    const root = ensureBuilt();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-signin-'));
    fs.mkdirSync(path.join(dir, 'mail', 'ann@contoso.test', 'cur'), { recursive: true });
    for (const d of ['new', 'tmp']) fs.mkdirSync(path.join(dir, 'mail', 'ann@contoso.test', d));
    fs.writeFileSync(path.join(dir, 'mail', 'ann@contoso.test', 'cur', '1700000000.1.host:2,S'), 'From: a@b.test\r\nSubject: hello\r\nMessage-ID: <signin-1@ferry.test>\r\n\r\nbody\r\n');
    fs.writeFileSync(
      path.join(dir, 'p.migration.yaml'),
      `version: 1
project: { name: Sign-in }
endpoints:
  archive: { type: maildir, path: ./mail }
  cloud: ${t.endpointYaml(null)}
source: archive
destination: cloud
batches:
  - name: Wave 1
    items:
      - { source: ann@contoso.test, destination: ann@contoso.test }
`,
    );
    const env = { ...process.env, NODE_EXTRA_CA_CERTS: t.fake.caPath };
    const fork = () => RunnerClient.fork(path.join(dir, '.ferry'), { runnerModule: path.join(root, 'dist', 'runner.js'), env });
    const prompts: DeviceCodeRequest[] = [];
    const caches = new Map<string, string>();

    const first = await fork();
    first.onSignIn((request) => {
      prompts.push(request);
      assert.ok(t.fake.identity.approveDeviceCode(request.userCode, 'ann@contoso.test'), 'the code the runner showed is the one to approve');
    });
    first.onTokenCache((key, data) => caches.set(key, data));
    const full = await first.request<PassSummary>({ type: 'start', planFile: path.join(dir, 'p.migration.yaml'), pass: 'full' });
    await first.shutdown();
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 1], JSON.stringify(full.items));
    assert.equal(prompts.length, 1);
    assert.match(prompts[0].verificationUri, /^https:\/\//);
    assert.equal(caches.size, 1, 'the runner sent its token cache back');
    assert.ok(![...caches.values()][0].includes(t.secret));

    const second = await fork();
    second.onSignIn((request) => prompts.push(request));
    await second.request({ type: 'tokenCaches', caches: Object.fromEntries(caches) });
    const verify = await second.request<PassSummary>({ type: 'start', planFile: path.join(dir, 'p.migration.yaml'), pass: 'verify' });
    await second.shutdown();
    assert.notEqual(verify.items[0].status, 'NotValid', JSON.stringify(verify.items));
    assert.equal(prompts.length, 1, 'no second device code: the kept cache signed in');
  });
});
