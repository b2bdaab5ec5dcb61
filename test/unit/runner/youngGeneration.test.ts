// A process that runs passes keeps V8's young generation at its initial size (youngGeneration.ts):
// measured as the new space's size after a burst of short-lived garbage, in a child process (V8
// flags are the whole process's). An operator's own flag wins.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const MB = 1024 * 1024;
const helper = path.join(__dirname, '..', '..', '..', 'src', 'runner', 'youngGeneration.js');

/** The new space's size (bytes) in a child that calls keepYoungGenerationSmall (or not), then makes 300 MB of garbage. */
function newSpaceAfterGarbage(call: boolean, nodeArgs: string[] = []): number {
  const script = `
    ${call ? `require(${JSON.stringify(helper)}).keepYoungGenerationSmall();` : ''}
    let keep = [];
    for (let i = 0; i < 3e6; i++) { keep.push({ n: i, s: 'message ' + i }); if (keep.length > 20000) keep = []; }
    const space = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(space.space_size));`;
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return Number(execFileSync(process.execPath, [...nodeArgs, '-e', script], { env, encoding: 'utf8' }));
}

describe('runner: the young generation of a pass', function () {
  this.timeout(60_000);

  it('stays at its initial size under a burst of short-lived garbage (V8 grows it to 32 MB)', () => {
    assert.ok(newSpaceAfterGarbage(false) >= 16 * MB, 'without it V8 grows the young generation');
    assert.ok(newSpaceAfterGarbage(true) <= 4 * MB, 'kept small');
  });

  it("leaves an operator's own semi-space flag alone", () => {
    assert.ok(newSpaceAfterGarbage(true, ['--max-semi-space-size=8']) >= 8 * MB);
  });
});
