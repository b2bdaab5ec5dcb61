import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from '../helpers/repoRoot';
import { Commands } from '../../../src/extension/common/ids';

const root = repoRoot();

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}

describe('architecture', () => {
  it("only src/extension imports 'vscode'", () => {
    const offenders = sources(path.join(root, 'src'))
      .filter((f) => !f.startsWith(path.join(root, 'src', 'extension') + path.sep))
      .filter((f) => /from ['"]vscode['"]|require\(['"]vscode['"]\)/.test(fs.readFileSync(f, 'utf8')));
    assert.deepEqual(offenders, []);
  });

  // That each of them is registered (and each view created, each context key set) is checked inside
  // VS Code against what the extension recorded: test/vscode/suite/contributions.test.ts.
  it('the command ids in src/extension/common/ids.ts are the contributed commands', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };
    assert.deepEqual(manifest.contributes.commands.map((c) => c.command).sort(), Object.values(Commands).sort());
  });

  it('activation happens on specific events only', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { activationEvents: string[]; engines: { vscode: string } };
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(!manifest.activationEvents.includes('onStartupFinished'));
    assert.equal(manifest.engines.vscode, '^1.101.0');
  });
});
