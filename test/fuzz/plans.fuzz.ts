// `npm run fuzz:plans`: fuzzes plan validation with FERRY_FUZZ_CASES cases (default 500) from
// FERRY_FUZZ_SEED (default: random, printed). Prints every broken promise with the seed and case
// index that reproduce it (FERRY_FUZZ_CASE=i runs that one case; its folder is kept), the slowest
// cases with their times and the product's deadline. Exit 1 when a case broke the promise.
import * as os from 'node:os';
import * as path from 'node:path';
import * as fs from 'node:fs';
import { generatePlanCase } from './plansGenerator';
import { prepareFuzzRoot, runPlanCase, type PlanCaseOutcome } from './plansRunner';
import { planLimits } from '../../src/plan/limits';
import { repoRoot } from '../unit/helpers/repoRoot';

/** How far past the deadline a stopped case may end: the longest step between two checks. */
const GRACE_MS = 5000;

async function run(): Promise<number> {
  const seed = Number(process.env.FERRY_FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
  const cases = Number(process.env.FERRY_FUZZ_CASES ?? 500);
  const only = process.env.FERRY_FUZZ_CASE === undefined ? undefined : Number(process.env.FERRY_FUZZ_CASE);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'ferry-fuzz-plans-'));
  prepareFuzzRoot(root);
  console.log(`fuzz:plans seed ${seed}, ${only === undefined ? `${cases} cases` : `case ${only}`}, cases in ${root}`);
  const repo = repoRoot();
  const outcomes: PlanCaseOutcome[] = [];
  const indexes = only === undefined ? Array.from({ length: cases }, (_, i) => i) : [only];
  let peakRss = 0;
  for (const index of indexes) {
    const outcome = await runPlanCase(root, generatePlanCase(repo, seed, index));
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    outcomes.push(outcome);
    // The deadline is checked between steps: a stopped case ends with PLAN-048 at the next check.
    const over = outcome.ms - planLimits.deadlineMs;
    if (over > 0 && !outcome.codes.includes('PLAN-048')) outcome.problems.push(`took ${(outcome.ms / 1000).toFixed(1)} s, past the ${planLimits.deadlineMs / 1000} s deadline, without PLAN-048`);
    else if (over > GRACE_MS) outcome.problems.push(`stopped ${(over / 1000).toFixed(1)} s after the deadline (one step ran longer than ${GRACE_MS / 1000} s)`);
    if (outcome.problems.length) {
      console.log(`FAIL case ${index} (FERRY_FUZZ_SEED=${seed} FERRY_FUZZ_CASE=${index}): ${outcome.plan.mutations.join('; ')}`);
      for (const p of outcome.problems) console.log(`  ${p.split('\n').slice(0, 6).join('\n  ')}`);
    }
  }
  const failed = outcomes.filter((o) => o.problems.length);
  console.log(`\nslowest cases (deadline ${planLimits.deadlineMs / 1000} s):`);
  for (const o of [...outcomes].sort((a, b) => b.ms - a.ms).slice(0, 10)) {
    console.log(`  ${o.ms.toFixed(0).padStart(6)} ms  case ${o.plan.index}  [${o.codes.slice(0, 5).join(' ')}]  ${o.plan.mutations.join('; ')}`);
  }
  console.log(`\n${outcomes.length} cases, ${failed.length} broke the promise, peak RSS ${(peakRss / 1e6).toFixed(0)} MB (seed ${seed})`);
  if (!failed.length) fs.rmSync(root, { recursive: true, force: true });
  return failed.length ? 1 : 0;
}

run().then((code) => process.exit(code), (err: unknown) => {
  console.error(err);
  process.exit(2);
});
