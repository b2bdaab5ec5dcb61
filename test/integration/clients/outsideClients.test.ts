// Clients nobody here wrote, against the fakes: exchangelib (python3-exchangelib) logs in to the
// fake Exchange with NTLM, lists folders, reads, writes and syncs; MSAL for Python (python3-msal)
// signs in to the fake Microsoft 365 with a secret, a certificate and the device code flow. The
// scripts are test/clients/*.py, run with /usr/bin/python3; each test skips with one line where
// the interpreter or the module is missing. What they found is in the fakes' READMEs.
import * as assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as readline from 'node:readline';
import { createFakeEwsData, startFakeEws, type FakeEws, type FakeEwsConfig } from '../../servers/fakeEws/server';
import { requireEwsSchemas, validateEnvelopes } from '../../servers/fakeEws/xsd';
import { startTestTenant, type TestTenant } from '../../servers/fakeM365/testTenant';
import { repoRoot } from '../../unit/helpers/repoRoot';
import { skipWith } from '../../unit/helpers/sharedReference';

const PYTHON = '/usr/bin/python3';

/** Skips (one line, once) unless /usr/bin/python3 can import `module`. */
function requirePython(ctx: Mocha.Context, module: string, debianPackage: string): void {
  if (!fs.existsSync(PYTHON)) skipWith(ctx, `skipped: ${PYTHON} absent`);
  if (spawnSync(PYTHON, ['-c', `import ${module}`]).status !== 0) skipWith(ctx, `skipped: ${PYTHON} cannot import ${module} (Debian: ${debianPackage})`);
}

interface Run { lines: string[]; stderr: string; code: number | null }

/** Runs a script of test/clients asynchronously (the fakes answer from this process); `onLine` sees stdout line by line. */
function runScript(script: string, args: string[], onLine: (line: string) => void = () => undefined, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, [path.join(repoRoot(), 'test', 'clients', script), ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env, PYTHONDONTWRITEBYTECODE: '1' } });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    readline.createInterface({ input: child.stdout }).on('line', (line) => {
      lines.push(line);
      onLine(line);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ lines, stderr, code }));
  });
}

describe('outside clients against the fakes', function () {
  this.timeout(120_000);
  const dirs: string[] = [];
  after(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  describe('exchangelib (python3-exchangelib) against the fake Exchange', () => {
    let fake: FakeEws;
    const answers: { operation: string; status: number; body: string }[] = [];
    const servers: FakeEws[] = [];
    async function exchange(config: Partial<FakeEwsConfig> = {}): Promise<FakeEws> {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-exchangelib-'));
      dirs.push(dir);
      const mime = (n: number) => `From: Zed <zed@example.org>\r\nTo: Ann <ann@contoso.local>\r\nSubject: Message ${n}\r\nDate: Mon, 0${n} Jan 2024 10:00:00 +0000\r\nMessage-ID: <m-${n}@example.org>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nBody ${n}\r\n`;
      createFakeEwsData(dir, {
        users: [{ address: 'ann@contoso.local', displayName: 'Ann', login: 'CONTOSO\\ann', password: 'Ann#2016' }],
        mailboxes: { 'ann@contoso.local': { folders: [{ path: 'inbox/Projects' }], items: [1, 2, 3].map((n) => ({ folder: 'inbox', mime: mime(n), isRead: n === 1 })) } },
        config: { authSchemes: ['Negotiate', 'NTLM'], ...config },
      });
      const started = await startFakeEws({ dataDir: dir, onEwsResponse: (a) => answers.push(a) });
      servers.push(started);
      return started;
    }
    before(async function () {
      requirePython(this, 'exchangelib', 'python3-exchangelib');
      fake = await exchange();
    });
    after(async () => {
      for (const s of servers.splice(0)) await s.close();
    });

    const session = async (at = fake) => {
      // requests prefers REQUESTS_CA_BUNDLE to any verify= it is given: the fake's CA over HTTPS.
      const run = await runScript('exchangelib_session.py', [at.ewsUrl, 'CONTOSO\\ann', 'Ann#2016', 'ann@contoso.local'], undefined, at.caPath ? { REQUESTS_CA_BUNDLE: at.caPath, CURL_CA_BUNDLE: at.caPath } : {});
      assert.equal(run.code, 0, run.stderr);
      return JSON.parse(run.lines.at(-1) ?? '{}') as Record<string, unknown>;
    };

    it('logs in with NTLM, lists folders, reads, writes and syncs', async () => {
      const seen = await session();
      assert.equal(seen.version, 'Exchange2016');
      assert.deepEqual(seen.inboxChildren, ['Projects']);
      assert.ok((seen.folders as string[]).includes('Inbox') && (seen.folders as string[]).includes('Projects'), JSON.stringify(seen.folders));
      assert.deepEqual(seen.listed, [{ subject: 'Message 3', isRead: false }, { subject: 'Message 2', isRead: false }, { subject: 'Message 1', isRead: true }]);
      assert.deepEqual(seen.mimeStarts, Array(3).fill('From: Zed <zed@example.org>'));
      assert.deepEqual(seen.written, { subject: 'Written by exchangelib', isDraft: true });
      assert.deepEqual(seen.sync, { first: 3, again: 0, after: ['create'], afterSubjects: ['Written by exchangelib'] });
      assert.ok(Number(seen.hierarchy) >= 11, String(seen.hierarchy));
    });

    it('over HTTPS with Extended Protection required: its NTLM (pyspnego) carries the channel binding the fake checks', async () => {
      const seen = await session(await exchange({ https: true, extendedProtection: 'Require' }));
      assert.deepEqual(seen.inboxChildren, ['Projects']);
      assert.equal((seen.sync as { first: number }).first, 3);
    });

    it("and the fake's answers to it validate against messages.xsd/types.xsd", async function () {
      const xsdDir = requireEwsSchemas(this);
      answers.length = 0;
      await session();
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-exchangelib-xsd-'));
      dirs.push(dir);
      const files = answers.map((a, i) => {
        const file = path.join(dir, `${i}-${a.operation}.xml`);
        fs.writeFileSync(file, a.body);
        return file;
      });
      const { validated, errors } = validateEnvelopes(xsdDir, files);
      assert.deepEqual(errors, []);
      assert.equal(validated, files.length);
    });
  });

  describe('MSAL for Python (python3-msal) against the fake Microsoft 365 identity platform', () => {
    let tenant: TestTenant;
    before(async function () {
      requirePython(this, 'msal', 'python3-msal');
      tenant = await startTestTenant(['ann@contoso.test']);
    });
    after(async () => {
      await tenant?.fake.close();
    });

    it('acquires app tokens with a secret and with a certificate, refuses a wrong secret, signs a user in by device code', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-msal-'));
      dirs.push(dir);
      const key = path.join(dir, 'app.key');
      fs.writeFileSync(key, tenant.certificate.privateKey);
      const approvals: Promise<Response>[] = [];
      const run = await runScript('msal_session.py', [`${tenant.fake.url}/${tenant.tenant.id}`, tenant.app.clientId, tenant.secret, key, tenant.certificate.sha1, tenant.fake.caPath], (line) => {
        const asked = (JSON.parse(line) as { user_code?: string }).user_code;
        // What the user does in a browser at the verification URI.
        if (asked) approvals.push(fetch(`${tenant.fake.url}/_fake/devicelogin`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user_code: asked, user: 'ann@contoso.test' }) }));
      }, { REQUESTS_CA_BUNDLE: tenant.fake.caPath, CURL_CA_BUNDLE: tenant.fake.caPath }); // requests lets these override verify=
      assert.equal(run.code, 0, run.stderr);
      assert.deepEqual((await Promise.all(approvals)).map((r) => r.status), [200]);
      const steps = new Map(run.lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((s) => s.step).map((s) => [s.step, s]));
      for (const step of ['secret', 'certificate']) {
        assert.deepEqual({ ...steps.get(step), expiresIn: undefined }, { step, tokenType: 'Bearer', expiresIn: undefined, tid: tenant.tenant.id, appid: tenant.app.clientId, roles: tenant.app.roles, upn: null, account: null });
      }
      assert.deepEqual(steps.get('wrongSecret'), { step: 'wrongSecret', error: 'invalid_client', codes: [7000215] });
      assert.equal(steps.get('deviceCode')?.upn, 'ann@contoso.test');
      assert.equal(steps.get('deviceCode')?.account, 'ann@contoso.test');
      assert.equal(steps.get('refresh')?.upn, 'ann@contoso.test');
    });
  });
});
