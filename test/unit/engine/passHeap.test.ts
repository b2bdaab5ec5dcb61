// V8's heap in a process that runs passes (passHeap.ts): the young generation kept at its initial
// size, measured as the new space's size after a burst of short-lived garbage; the old generation's
// growth over what a full GC left, as V8 reports the factor it applied. In a child process each (V8
// flags are the whole process's). An operator's own flag wins.
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';

const MB = 1024 * 1024;
const helper = path.join(__dirname, '..', '..', '..', 'src', 'engine', 'passHeap.js');

function child(call: boolean, script: string, nodeArgs: string[] = []): number {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  return Number(execFileSync(process.execPath, [...nodeArgs, '-e', `${call ? `require(${JSON.stringify(helper)}).sizeHeapForPasses();` : ''}\n${script}`], { env, encoding: 'utf8' }));
}

/** The new space's size (bytes) after 300 MB of garbage, `prelude` run first. */
const newSpaceAfterGarbage = (call: boolean, nodeArgs: string[] = [], prelude = '') =>
  child(call, `${prelude}
    let keep = [];
    for (let i = 0; i < 3e6; i++) { keep.push({ n: i, s: 'message ' + i }); if (keep.length > 20000) keep = []; }
    const space = require('node:v8').getHeapSpaceStatistics().find((s) => s.space_name === 'new_space');
    process.stdout.write(String(space.space_size));`, nodeArgs);

/**
 * The factor by which V8 lets the old generation grow over what a full GC left, as V8 itself
 * reports it (--trace-gc-verbose: `[HeapController] Limit: old size: ..., new limit: ... (1.2)`).
 */
function oldGenerationFactor(call: boolean, nodeArgs: string[] = [], batches: [items: number, bytes: number][] = [], prelude = ''): number {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  const script = `const heap = require(${JSON.stringify(helper)});
    ${call ? 'heap.sizeHeapForPasses();' : ''}
    ${prelude}
    for (const [items, bytes] of ${JSON.stringify(batches)}) heap.heapGrowthForBatch(items, bytes);
    const live = Array.from({ length: 300000 }, (_, i) => ({ n: i, s: 'live ' + i }));
    gc();
    if (live.length !== 300000) process.exit(1);`;
  const out = execFileSync(process.execPath, ['--expose-gc', '--trace-gc-verbose', ...nodeArgs, '-e', script], { env, encoding: 'utf8' });
  const factors = [...out.matchAll(/\[HeapController\] Limit: old size: \d+ KB, new limit: \d+ KB \(([\d.]+)\)/g)].map((m) => Number(m[1]));
  assert.ok(factors.length > 0, `V8 reported no limit:\n${out.slice(0, 2000)}`);
  return factors.at(-1)!;
}

describe('engine: the heap of a pass', function () {
  this.timeout(120_000);

  it('keeps the young generation at its initial size under a burst of short-lived garbage (V8 grows it to 32 MB)', () => {
    assert.ok(newSpaceAfterGarbage(false) >= 16 * MB, 'without it V8 grows the young generation');
    assert.ok(newSpaceAfterGarbage(true) <= 4 * MB, 'kept small');
  });

  it('lets the old generation grow by 20% over what a full GC left (V8 allows up to four times)', () => {
    assert.notEqual(oldGenerationFactor(false), 1.2, "V8's own factor");
    assert.equal(oldGenerationFactor(true), 1.2);
  });

  it("gives batches of large items V8's own factor (their Buffers count in the limit), and small ones the 20% again", () => {
    const small: [number, number] = [100, 300 * 1024];
    const large: [number, number] = [2, 7.2 * MB];
    assert.equal(oldGenerationFactor(true, [], [small]), 1.2);
    assert.notEqual(oldGenerationFactor(true, [], [small, large]), 1.2, 'large items: V8 decides');
    assert.equal(oldGenerationFactor(true, [], [large, small]), 1.2, 'small again');
    assert.equal(oldGenerationFactor(false, ['--heap-growing-percent=300'], [small]), 4, "the operator's factor stays");
  });

  it('a delta (`ferry run --pass delta`) starts under V8\'s own flags, sets them when it copies, and sets V8\'s own back before its code cache is taken', () => {
    // V8 refuses a code cache made under other flags, Node's own of its builtins too: set at start,
    // every builtin a quiet delta loads was compiled from source (issue 17, round 8).
    const heap = `const heap = require(${JSON.stringify(helper)});`;
    assert.ok(newSpaceAfterGarbage(false, [], `${heap} heap.sizeHeapWhenCopying();`) >= 16 * MB, 'nothing set at start');
    assert.ok(newSpaceAfterGarbage(false, [], `${heap} heap.heapForCopying();`) >= 16 * MB, 'nothing set where nothing was due');
    assert.ok(newSpaceAfterGarbage(false, [], `${heap} heap.sizeHeapWhenCopying(); heap.heapForCopying();`) <= 4 * MB, 'set when copying');
    assert.ok(newSpaceAfterGarbage(false, [], `${heap} heap.sizeHeapWhenCopying(); heap.heapForCopying(); heap.heapFlagsOfStart();`) >= 16 * MB, "V8's own again");
    assert.notEqual(oldGenerationFactor(false, [], [], 'heap.sizeHeapWhenCopying();'), 1.2, 'nothing set at start');
    assert.equal(oldGenerationFactor(false, [], [[100, 300 * 1024]], 'heap.sizeHeapWhenCopying(); heap.heapForCopying();'), 1.2);
    assert.notEqual(oldGenerationFactor(false, [], [], 'heap.sizeHeapWhenCopying(); heap.heapForCopying(); heap.heapFlagsOfStart();'), 1.2);
    assert.equal(oldGenerationFactor(false, ['--heap-growing-percent=300'], [], 'heap.sizeHeapWhenCopying(); heap.heapForCopying(); heap.heapFlagsOfStart();'), 4, "the operator's factor stays");
  });

  it("leaves an operator's own heap flags alone", () => {
    assert.ok(newSpaceAfterGarbage(true, ['--max-semi-space-size=8']) >= 8 * MB);
    assert.equal(oldGenerationFactor(true, ['--heap-growing-percent=300']), 4);
  });
});
