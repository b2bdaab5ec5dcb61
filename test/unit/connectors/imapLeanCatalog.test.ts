// The error catalog is loaded when an error is made, not at start (issue 17: building its entry
// files cost ~3 ms of every start): a lean IMAP connection that logs in and out cleanly (a quiet
// delta's whole life) makes no error, so its process never loads the entry files. Checked in a
// child process (the module cache of the test's own process has them already).
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { repoRoot } from '../helpers/repoRoot';
import { startScriptedImap, type ScriptedImapServer } from './scriptedImapServer';

const out = path.join(repoRoot(), 'out', 'src');

/** Runs `script` in a child Node; what it printed, parsed. */
function child(script: string): Promise<{ catalogs: string[]; error?: string }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
    let text = '';
    p.stdout.on('data', (d: Buffer) => (text += d.toString()));
    p.once('error', reject);
    p.once('exit', (code) => (code === 0 ? resolve(JSON.parse(text) as { catalogs: string[]; error?: string }) : reject(new Error(`child exited ${code}: ${text}`))));
  });
}

const catalogsLoaded = "Object.keys(require.cache).filter((f) => /errors[\\\\/]\\w+Catalog\\.js$/.test(f)).map((f) => require('node:path').basename(f))";

describe('the error catalog is loaded on first use', function () {
  this.timeout(60_000);
  let server: ScriptedImapServer;

  before(async () => {
    server = await startScriptedImap({ messages: new Map([[1, Buffer.from('Subject: 1\r\n\r\nx\r\n')]]) });
  });
  after(() => server.close());

  it('a lean connection that logs in and out loads none of its entry files; an error message loads them', async () => {
    const script = `
const { imapFlowOptions } = require(${JSON.stringify(path.join(out, 'connectors/imap/imapSettings.js'))});
const { WireConnection } = require(${JSON.stringify(path.join(out, 'connectors/imap/lean/wireConnection.js'))});
const endpoint = { host: '127.0.0.1', port: ${server.port}, security: 'none', allowInvalidCertificates: false, maxConnections: 1 };
(async () => {
  const wire = await WireConnection.open(imapFlowOptions(endpoint, { user: 'ann', pass: 'pw' }), { host: '127.0.0.1', port: ${server.port}, user: 'ann', mailbox: 'ann' });
  await wire.close();
  const catalogs = ${catalogsLoaded};
  const error = await wire.command('NOOP').then(() => undefined, (e) => e.message);
  console.log(JSON.stringify({ catalogs, error, after: ${catalogsLoaded} }));
})();`;
    const r = (await child(script)) as { catalogs: string[]; error?: string; after: string[] };
    assert.ok(server.commands.some((c) => /LOGOUT/i.test(c)), `the child logged out: ${server.commands.join(', ')}`);
    assert.ok(!r.catalogs.includes('seedCatalog.js'), `loaded: ${r.catalogs.join(', ')}`);
    assert.ok(!r.catalogs.includes('ferryCatalog.js'), `loaded: ${r.catalogs.join(', ')}`);
    // A command after the end gets the catalog's message, and only then are the entries loaded.
    assert.match(r.error ?? '', /The connection to 127\.0\.0\.1 /);
    assert.ok(r.after.includes('seedCatalog.js'), `loaded after the error: ${r.after.join(', ')}`);
  });
});
