// The standalone fake (`npm run fake:m365 -- --port P --data DIR`): prints `listening <url> ca=<path>`,
// serves sign-in metadata over TLS signed by that CA, keeps its data in DIR, and stops on SIGTERM.
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { request } from './fakeHttp';

describe('fake Microsoft 365: standalone', function () {
  this.timeout(15_000);

  it('starts on the port asked, prints its URL and CA, and stops on SIGTERM', async () => {
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-fake-main-'));
    fs.writeFileSync(path.join(data, 'directory.json'), JSON.stringify({ tenants: [{ id: '7a6f7b1e-0000-4000-8000-000000000001', domains: ['contoso.test'], apps: [], users: [] }] }));
    const child = spawn(process.execPath, [path.resolve(__dirname, '../../../servers/fakeM365/main.js'), '--port', '0', '--data', data], { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(out.split('\n')[0]);
        });
        child.once('exit', (code) => reject(new Error(`exited ${code}`)));
      });
      const m = /^listening (https:\/\/127\.0\.0\.1:\d+) ca=(.+)$/.exec(line);
      assert.ok(m, line);
      assert.equal(m[2], path.join(data, 'tls', 'ca.pem'));
      const meta = await request(`${m[1]}/contoso.test/v2.0/.well-known/openid-configuration`, fs.readFileSync(m[2], 'utf8'));
      assert.equal(meta.status, 200);
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      fs.rmSync(data, { recursive: true, force: true });
    }
  });
});
