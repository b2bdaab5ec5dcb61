// `ferry fidelity`: a source message against its copy, field by field; exit 3 when something was
// not kept (here a header and the attachment), 0 when everything was.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { main } from '../../../src/cli/main';
import type { CliIo } from '../../../src/cli/io';
import { sampleMessages } from '../../servers/testMessages';
import { tempDir } from '../helpers/repoRoot';

function capture(cwd: string): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { cwd, env: {}, stdout, stderr, out: (l) => stdout.push(l), err: (l) => stderr.push(l) };
}

describe('command line: fidelity', () => {
  it('prints what a copy kept and lost, and exits 3 when something was lost', async () => {
    const dir = tempDir('ferry-fidelity-');
    const source = sampleMessages()[1].raw;
    fs.writeFileSync(path.join(dir, 'source.eml'), source);
    fs.writeFileSync(path.join(dir, 'same.eml'), source);
    // A copy with an added header, without the To header, and with one attachment byte changed.
    const text = source.toString('latin1');
    fs.writeFileSync(path.join(dir, 'copy.eml'), Buffer.from(text.replace('Subject: Report with attachment\r\n', 'Subject: Report with attachment\r\nX-Added: 1\r\n').replace('To: Bob <bob@source.example>\r\n', '').replace('\r\n\r\nACVK', '\r\n\r\nACVL'), 'latin1'));
    const io = capture(dir);
    assert.equal(await main(['fidelity', 'source.eml', 'copy.eml'], io), 3);
    const out = io.stdout.join('\n');
    assert.match(out, /^LOST {2}headers: missing or changed: to$/m);
    assert.match(out, /^LOST {2}to: /m);
    assert.match(out, /^LOST {2}attachments: /m);
    assert.match(out, /^kept {2}subject$/m);
    const same = capture(dir);
    assert.equal(await main(['fidelity', 'source.eml', 'same.eml', '--json'], same), 0);
    assert.ok((JSON.parse(same.stdout.join('\n')) as { kept: boolean }[]).every((r) => r.kept));
  });
});
