// A bounded run of the plan fuzz harness (test/fuzz): seeded hostile plans and CSV files validated
// through `ferry validate` on disk. Each case must end with findings or clean: no throw, no stack
// trace, catalog codes only, nothing of a file outside the project echoed. The product's deadline
// (PLAN-048) bounds each case; nothing here measures time. Longer runs: `npm run fuzz:plans`.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { generatePlanCase } from '../../fuzz/plansGenerator';
import { prepareFuzzRoot, runPlanCase } from '../../fuzz/plansRunner';
import { repoRoot, tempDir } from '../helpers/repoRoot';

const SEED = Number(process.env.FERRY_FUZZ_SEED ?? 20261206);
const CASES = Number(process.env.FERRY_FUZZ_UNIT_CASES ?? 30);

describe(`plan fuzz harness (seed ${SEED}, ${CASES} cases)`, function () {
  this.timeout(120_000); // a hang guard only: the product's deadline ends a slow case with PLAN-048
  const repo = repoRoot();
  let root: string;
  before(() => {
    root = tempDir('fuzz-plans');
    prepareFuzzRoot(root);
  });
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  for (let index = 0; index < CASES; index++) {
    const plan = generatePlanCase(repo, SEED, index, false);
    it(`case ${index}: ${plan.mutations.join('; ').slice(0, 100)}`, async () => {
      const outcome = await runPlanCase(root, plan);
      assert.deepEqual(outcome.problems, [], `reproduce: FERRY_FUZZ_SEED=${SEED} FERRY_FUZZ_CASE=${index} npm run fuzz:plans`);
    });
  }
});
