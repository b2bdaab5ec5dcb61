// `ferry status | head`: the reader of the output goes away before Ferry has written; Ferry ends
// quietly with 0, as other Unix tools do, with no stack trace.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { repoRoot, tempDir } from '../helpers/repoRoot';

const root = repoRoot();

function runWithReaderGone(args: string[], which: 'stdout' | 'stderr'): Promise<{ code: number | null; signal: NodeJS.Signals | null; other: string }> {
  const child = spawn(process.execPath, [path.join(root, 'bin', 'ferry.js'), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  // The reader leaves before the child has written anything: its first write meets EPIPE.
  const otherStream = which === 'stdout' ? child.stderr : child.stdout;
  child[which].destroy();
  let other = '';
  otherStream.setEncoding('utf8').on('data', (d: string) => (other += d));
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, other })));
}

describe('ferry output to a reader that went away (EPIPE)', function () {
  this.timeout(30_000);

  it('status ends with 0 and no error when stdout is closed', async () => {
    const state = tempDir('epipe');
    const r = await runWithReaderGone(['status', '--state', state], 'stdout');
    assert.equal(r.other, '', 'nothing on stderr');
    assert.equal(r.signal, null);
    assert.equal(r.code, 0);
  });

  it('a usage error ends quietly when stderr is closed', async () => {
    const r = await runWithReaderGone(['no-such-command'], 'stderr');
    assert.equal(r.signal, null);
    assert.equal(r.code, 0);
  });

  it('validate --format json ends with 0 when stdout is closed', async () => {
    const r = await runWithReaderGone(['validate', '--format', 'json', path.join(root, 'examples', 'demo', 'demo.migration.yaml')], 'stdout');
    assert.equal(r.other, '');
    assert.equal(r.code, 0);
  });
});
