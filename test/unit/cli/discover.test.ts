// `ferry discover`: the mailboxes an endpoint holds (here a Maildir folder), marked with the batch
// that already lists each one; a kind that cannot list (IMAP) is refused with ENG-053, an unknown
// endpoint is a usage error.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { tempDir } from '../helpers/repoRoot';

function capture(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, env: {}, stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

const plan = `version: 1
project: { name: Discover }
endpoints:
  archive: { type: maildir, path: ./mail }
  imap: { type: imap, host: 127.0.0.1, port: 1143, security: none, auth: { username: '{mailbox}', password: { secret: IMAP } } }
source: archive
destination: imap
batches:
  - name: Wave 1
    items:
      - { source: ann@contoso.example, destination: ann@imap.example }
`;

describe('command line: discover', () => {
  let dir: string;
  before(() => {
    dir = tempDir('ferry-discover-');
    fs.writeFileSync(path.join(dir, 'p.migration.yaml'), plan);
    for (const box of ['ann@contoso.example', 'bob@contoso.example', 'cat@contoso.example']) fs.mkdirSync(path.join(dir, 'mail', box, 'cur'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'mail', 'not-a-mailbox', 'cur'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'mail', 'dan@contoso.example'), { recursive: true }); // no cur/: not a Maildir
  });

  it('lists the source endpoint (the default) and marks what a batch already holds', async () => {
    const io = capture(dir);
    assert.equal(await main(['discover', 'p.migration.yaml'], io), 0);
    assert.deepEqual(io.stdout, ['ann@contoso.example\t(in batch Wave 1)', 'bob@contoso.example', 'cat@contoso.example']);
    assert.deepEqual(io.stderr, ['3 mailboxes on archive; 2 not in the plan yet']);
  });

  it('--json gives address and batch', async () => {
    const io = capture(dir);
    assert.equal(await main(['discover', 'p.migration.yaml', '--endpoint', 'archive', '--json'], io), 0);
    assert.deepEqual(JSON.parse(io.stdout.join('\n')), [
      { address: 'ann@contoso.example', batch: 'Wave 1' },
      { address: 'bob@contoso.example', batch: null },
      { address: 'cat@contoso.example', batch: null },
    ]);
  });

  it('refuses an IMAP endpoint (ENG-053) and an unknown one (usage)', async () => {
    const io = capture(dir);
    assert.equal(await main(['discover', 'p.migration.yaml', '--endpoint', 'imap'], io), 1);
    assert.match(io.stderr.join('\n'), /ENG-053 Endpoint 'imap' is of type 'imap', which cannot list its mailboxes/);
    const unknown = capture(dir);
    assert.equal(await main(['discover', 'p.migration.yaml', '--endpoint', 'nope'], unknown), 2);
    assert.match(unknown.stderr.join('\n'), /ENG-052 Endpoint 'nope' is not in the plan/);
  });
});
