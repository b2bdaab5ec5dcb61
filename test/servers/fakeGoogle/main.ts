// Runs the fake Google standalone: `npm run fake:google -- --port P --data DIR [--users a@example.test,b@example.test]
// [--token-lifetime SECONDS]`. Creates the users (admin@example.test is an admin), a service
// account with domain-wide delegation of the migration scopes, writes its key file to
// DIR/service-account.json, prints `listening <url> key=<path>` and serves until killed.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { arg, runStandalone } from '../standalone';
import { startFakeGoogle } from './server';

const lifetime = arg('token-lifetime');
const users = (arg('users') ?? 'admin@example.test,ann@example.test').split(',').filter(Boolean);
runStandalone(
  async (options) => {
    const fake = await startFakeGoogle({ ...options, ...(lifetime ? { tokenLifetimeSeconds: Number(lifetime) } : {}) });
    for (const [i, u] of users.entries()) fake.admin.addUser(u, { isAdmin: i === 0 });
    const key = fake.admin.createServiceAccount();
    fake.admin.delegate(key.client_id);
    const dir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-fake-google-'));
    fs.mkdirSync(dir, { recursive: true });
    const keyPath = path.join(dir, 'service-account.json');
    fs.writeFileSync(keyPath, JSON.stringify(key, null, 2), { mode: 0o600 });
    return Object.assign(fake, { keyPath });
  },
  (fake) => `listening ${fake.url} key=${fake.keyPath}`,
);
