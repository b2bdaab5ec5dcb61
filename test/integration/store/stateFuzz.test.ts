// The state-file fuzz harness: a real state folder (after a full pass, with its backup) is damaged
// in one of many ways (test/fuzz/stateFiles.ts), then `ferry status` and `ferry run` must each end
// within a bound with either a coded message (no stack trace) or a clean run whose destination holds
// every source message exactly once (no run on wrong state). A damaged store is then recovered
// (`ferry restore`, or a rebuild from the destination, or its lock released) and the next run must
// be exact too.
// Cases: FERRY_FUZZ_CASES (default: one per kind of damage), seed FERRY_FUZZ_SEED (default 18).
import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { copyTree, damageKinds, damages, stateFileIn } from '../../fuzz/stateFiles';
import { prng } from '../../unit/helpers/prng';
import { addMessages, ensureBuilt, messageHashes, planYaml } from '../engine/maildirFixture';

const seed = Number(process.env.FERRY_FUZZ_SEED ?? 18);
const cases = Number(process.env.FERRY_FUZZ_CASES ?? damageKinds.length);
/** Each command must end within this (the locked case waits out SQLite's 5 s busy timeout). */
const boundMs = 30_000;

type Ended = { status: number | null; stdout: string; stderr: string; ms: number };

function ferry(cli: string, args: string[], cwd: string): Promise<Ended> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [cli, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), boundMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, ms: Date.now() - started });
    });
  });
}

const stackTrace = /^\s+at .+:\d+:\d+\)?$/m;

/** How a command ended: 'coded STORE-010', 'ok'; throws when it broke the promise. */
function outcome(what: string, r: Ended): string {
  assert.ok(r.ms < boundMs && r.status !== null, `${what}: did not end within ${boundMs} ms`);
  assert.doesNotMatch(r.stderr, stackTrace, `${what}: a stack trace\n${r.stderr}`);
  if (r.status === 0) return 'ok';
  const code = /ferry: ((?:STORE|ENG)-\d{3})/.exec(r.stderr)?.[1];
  assert.ok(r.status === 1 && code, `${what}: exit ${r.status} without a coded message\n${r.stderr}`);
  return `coded ${code}`;
}

describe('state-file fuzz: a damaged state database is detected, coded and recoverable', function () {
  this.timeout(180_000);
  let cli: string;
  let base: string;
  const outcomes: string[] = [];

  before(async () => {
    cli = path.join(ensureBuilt(), 'bin', 'ferry.js');
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-fuzz-state-'));
    addMessages(path.join(base, 'source'), 'ann@contoso.example', ['INBOX'], 60);
    addMessages(path.join(base, 'source'), 'bob@contoso.example', ['INBOX'], 25);
    addMessages(path.join(base, 'source'), 'bob@contoso.example', ['Archive'], 15);
    fs.writeFileSync(path.join(base, 'p.migration.yaml'), planYaml(['ann', 'bob']));
    const first = await ferry(cli, ['run', 'p.migration.yaml', '--pass', 'full'], base);
    assert.equal(first.status, 0, first.stderr);
    assert.ok(fs.existsSync(path.join(base, '.ferry', 'backup', 'state.db')), 'the pass left a backup');
  });
  after(() => {
    console.log(`      state-file fuzz, seed ${seed}, ${cases} cases:\n${outcomes.map((o) => `        ${o}`).join('\n')}`);
  });

  /** Every source message exactly once at the destination. */
  function assertExact(dir: string, what: string): void {
    for (const who of ['ann', 'bob']) {
      assert.deepEqual(messageHashes(path.join(dir, 'destination', `${who}@fabrikam.example`)), messageHashes(path.join(dir, 'source', `${who}@contoso.example`)), `${what}: ${who} exactly once`);
    }
  }

  for (let i = 0; i < cases; i++) {
    const kind = damageKinds[i % damageKinds.length];
    it(`case ${i}: ${kind}`, async () => {
      const random = prng(seed * 1000 + i);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), `ferry-fuzz-case-${i}-`));
      copyTree(base, dir);
      // New mail since the pass, so a run has something to do.
      addMessages(path.join(dir, 'source'), 'ann@contoso.example', ['INBOX'], 3);
      const damaged = await damages[kind](stateFileIn(path.join(dir, '.ferry')), random);
      try {
        const status = outcome('ferry status', await ferry(cli, ['status', 'p.migration.yaml'], dir));
        const runEnded = await ferry(cli, ['run', 'p.migration.yaml', '--pass', 'full'], dir);
        const run = outcome('ferry run', runEnded);
        if (run === 'ok') assertExact(dir, `a run on ${damaged.detail}`);
        let recovery = '';
        if (run !== 'ok') {
          // Recovery: the lock's end; else, by turns, ferry restore or the rebuild from the destination
          // (the state folder moved aside, a full pass looks each item up at the destination).
          const how = damaged.undo ? 'lock released' : i % 2 === 0 ? 'restored' : 'rebuilt from the destination';
          if (damaged.undo) await damaged.undo();
          else if (how === 'restored') outcome('ferry restore', await ferry(cli, ['restore', 'p.migration.yaml'], dir));
          else fs.renameSync(path.join(dir, '.ferry'), path.join(dir, '.ferry.damaged'));
          const again = await ferry(cli, ['run', 'p.migration.yaml', '--pass', 'full'], dir);
          assert.equal(again.status, 0, `the run after recovery (${how}): ${again.stderr}`);
          assertExact(dir, `the run after recovery (${how})`);
          recovery = `, ${how}, rerun exact`;
        }
        outcomes.push(`#${i} ${kind} (${damaged.detail}): status ${status}, run ${run} in ${runEnded.ms} ms${recovery}`);
      } finally {
        await damaged.undo?.();
      }
    });
  }
});
