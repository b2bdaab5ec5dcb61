// NTLM authenticates a connection, not a request: Ferry's EWS transport against the fake Exchange
// when the server closes an idle keep-alive connection mid-pass (IIS does after 120 s; the fake
// here after 100 ms), and over HTTPS with Extended Protection, where the AUTHENTICATE message must
// carry the channel binding of the server's certificate (MsvAvChannelBindings).
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as https from 'node:https';
import * as os from 'node:os';
import * as path from 'node:path';
import { defaultRetryPolicy } from '../../../src/engine/backoff';
import { runPass } from '../../../src/engine/runPass';
import { registryConnectors } from '../../../src/runner/connectors';
import { loadPlan } from '../../../src/runner/loadPlan';
import { Store } from '../../../src/store/store';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsConfig, type FakeEwsUser } from '../../servers/fakeEws/server';
import { trustCa } from '../../servers/fakeM365/testTenant';
import { plainMessage } from '../../servers/testMessages';

/* eslint-disable @typescript-eslint/no-require-imports */
const ntlm = require('@ewsjs/ntlm-client') as {
  createType1Message(workstation?: string, target?: string): string;
  decodeType2Message(header: string): unknown;
  createType3Message(type2: unknown, user: string, password: string, workstation?: string, target?: string): string;
};

const ORG = 'contoso.local';
const ADMIN = { address: `migadmin@${ORG}`, login: 'CONTOSO\\migadmin', password: 'Adm1n-pass', roles: ['ApplicationImpersonation'] } satisfies FakeEwsUser;
/** Exchange with NTLM only (Negotiate carrying NTLM, as IIS offers it), so every connection needs the handshake. */
const NTLM_ONLY: Partial<FakeEwsConfig> = { authSchemes: ['Negotiate', 'NTLM'] };

describe('engine: EWS over NTLM, connection by connection', function () {
  this.timeout(120_000);
  const fast = { ...defaultRetryPolicy, attempts: 5, baseMs: 20, maxMs: 200 };
  const servers: FakeEws[] = [];
  const dirs: string[] = [];
  after(async () => {
    for (const s of servers.splice(0)) await s.close();
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  async function exchange(config: Partial<FakeEwsConfig>): Promise<FakeEws> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-ntlm-'));
    dirs.push(dir);
    createFakeEwsData(path.join(dir, 'data'), {
      users: [ADMIN, ...['ann', 'bob'].map((p) => ({ address: `${p}@${ORG}`, login: `CONTOSO\\${p}`, password: `${p}-pass` }))],
      mailboxes: { [`ann@${ORG}`]: { folders: [{ path: 'inbox/Projects' }], items: Array.from({ length: 6 }, (_, i) => ({ folder: i < 4 ? 'inbox' : 'inbox/Projects', mime: plainMessage(100 + i).raw, isRead: i % 2 === 0 })) } },
      config: { ...NTLM_ONLY, ...config },
    });
    const fake = await startFakeEws({ dataDir: path.join(dir, 'data') });
    servers.push(fake);
    return fake;
  }

  async function pass(fake: FakeEws) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-ews-ntlm-plan-'));
    dirs.push(dir);
    const endpoint = `{ type: exchange, url: '${fake.ewsUrl}', authentication: ntlm, auth: { username: 'CONTOSO\\migadmin', password: { secret: EX_ADMIN } } }`;
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), `version: 1\nproject: { name: NTLM }\nendpoints:\n  src: ${endpoint}\n  dst: ${endpoint}\nsource: src\ndestination: dst\nbatches:\n  - name: Main\n    items:\n      - { source: ann@${ORG}, destination: bob@${ORG} }\n`);
    const store = Store.open(path.join(dir, '.ferry'));
    try {
      return await runPass({ plan: loadPlan(path.join(dir, 'p.migration.yaml')).plan, store, pass: 'full', connectors: registryConnectors, secrets: () => ADMIN.password, retry: fast });
    } finally {
      store.close();
    }
  }
  const mail = (fake: FakeEws, address: string) => [...fake.store.itemsOf(address).values()].filter((i) => i.itemClass === 'IPM.Note');

  it('an idle gap longer than the server keep-alive in the middle of a pass changes nothing: closed connections are authenticated again', async () => {
    const fake = await exchange({ keepAliveTimeoutMs: 100 });
    // Mid-pass, the source's first export is told to back off 400 ms: every connection of the pass
    // idles past the server's keep-alive meanwhile and the server closes it.
    fake.setFaults([{ kind: 'serverBusy', mailbox: `ann@${ORG}`, operation: 'ExportItems', backOffMs: 400 }]);
    const full = await pass(fake);
    assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 6], JSON.stringify(full.items));
    assert.equal(mail(fake, `bob@${ORG}`).length, 6);
    assert.deepEqual(fake.faults().map((f) => f.count), [0], 'the back-off was never asked for');
    assert.ok(fake.connections().closedIdle > 0, `the server closed no idle connection: ${JSON.stringify(fake.connections())}`);
  });

  describe('over HTTPS with Extended Protection (channel binding required)', () => {
    let fake: FakeEws;
    before(async () => {
      fake = await exchange({ https: true, extendedProtection: 'Require' });
      trustCa(fake.caPem!);
    });

    /** One NTLM handshake on one TLS connection, the AUTHENTICATE message as @ewsjs/ntlm-client builds it (no channel binding). */
    async function unboundHandshake(): Promise<number> {
      const agent = new https.Agent({ keepAlive: true, maxSockets: 1 });
      const post = (authorization: string) => new Promise<{ status: number; challenge: string }>((resolve, reject) => {
        const req = https.request(fake.ewsUrl, { method: 'POST', agent, headers: { authorization, 'content-type': 'text/xml; charset=utf-8' } }, (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode ?? 0, challenge: [res.headers['www-authenticate'] ?? ''].flat().join(',') }));
        });
        req.on('error', reject);
        req.end('');
      });
      try {
        const type2 = /NTLM [A-Za-z0-9+/=]+/.exec((await post(ntlm.createType1Message('WS', 'CONTOSO'))).challenge)?.[0];
        assert.ok(type2, 'no NTLM challenge');
        return (await post(ntlm.createType3Message(ntlm.decodeType2Message(type2), 'migadmin', ADMIN.password, 'WS', 'CONTOSO'))).status;
      } finally {
        agent.destroy();
      }
    }

    it('refuses NTLM without MsvAvChannelBindings, as patched Exchange does', async () => {
      assert.equal(await unboundHandshake(), 401);
    });

    it('a pass completes: Ferry binds its NTLM to the TLS channel', async () => {
      const full = await pass(fake);
      assert.deepEqual([full.items[0].status, full.totals.copied], ['Completed', 6], JSON.stringify(full.items));
      assert.equal(mail(fake, `bob@${ORG}`).length, 6);
    });
  });
});
