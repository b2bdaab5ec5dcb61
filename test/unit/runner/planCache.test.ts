// The validated-plan cache (src/runner/planCache.ts): loadPlan keeps a plan's result in the cache
// folder and uses it only while the plan's text and every file it read are unchanged.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { InvalidPlanError, loadPlan } from '../../../src/runner/loadPlan';
import { PRUNE_ABOVE, PlanCache, processCacheFolder, setProcessCacheFolder } from '../../../src/runner/planCache';
import { validatePlan } from '../../../src/plan/validate';
import { tempDir } from '../helpers/repoRoot';
import { BASE_CSV, BASE_PLAN } from '../plan/planTestUtil';

/** BASE_PLAN without its completeAfter (which makes a rule read the clock). */
const PLAN = BASE_PLAN.replace(/^ {4}completeAfter: .*\n/m, '');

describe('the validated-plan cache (loadPlan)', () => {
  let before: string | undefined;
  let dir: string;
  let cache: string;
  let planFile: string;

  beforeEach(() => {
    before = processCacheFolder();
    dir = fs.realpathSync(tempDir('plan-cache'));
    cache = path.join(dir, 'cache');
    setProcessCacheFolder(cache);
    planFile = path.join(dir, 'p.migration.yaml');
    fs.writeFileSync(planFile, PLAN);
    fs.writeFileSync(path.join(dir, 'wave2.csv'), BASE_CSV);
  });
  afterEach(() => {
    setProcessCacheFolder(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const kept = (text = fs.readFileSync(planFile, 'utf8')) => PlanCache.of(planFile, text)!.lookup();
  const sources = () => loadPlan(planFile).plan.batches.flatMap((b) => b.items.map((i) => `${i.source}>${i.destination ?? ''}`));

  it('keeps a valid plan and gives back exactly what validation gives (dates, prototypes, diagnostics)', () => {
    assert.equal(kept(), undefined);
    const first = loadPlan(planFile);
    assert.ok(kept(), 'kept after the first load');
    const again = loadPlan(planFile);
    const fresh = validatePlan(PLAN, { file: planFile });
    assert.deepStrictEqual(again.plan, fresh.plan);
    assert.deepStrictEqual(again.diagnostics, fresh.diagnostics);
    assert.deepStrictEqual(again, first);
    assert.ok(again.plan.options.dateRange.from instanceof Date && again.plan.endpoints instanceof Map);
  });

  it('validates again when an items file changes, even to one of the same size and time', () => {
    const csv = path.join(dir, 'wave2.csv');
    const { mtime } = fs.statSync(csv);
    assert.deepEqual(sources(), ['ann@contoso.example>', 'bob@contoso.example>robert@fabrikam.example', 'carol@contoso.example>', 'dave@contoso.example>david@fabrikam.example']);
    fs.writeFileSync(csv, BASE_CSV.replace('carol', 'karol'));
    fs.utimesSync(csv, mtime, mtime);
    assert.ok(sources().includes('karol@contoso.example>'));
    fs.rmSync(csv);
    assert.throws(() => loadPlan(planFile), InvalidPlanError, 'a missing items file is an error, never a kept result');
  });

  it('validates again when the plan changes; a plan made invalid is refused', () => {
    loadPlan(planFile);
    fs.writeFileSync(planFile, PLAN.replace('robert@', 'bobby@'));
    assert.ok(sources().includes('bob@contoso.example>bobby@fabrikam.example'));
    fs.writeFileSync(planFile, PLAN.replace('source: contoso-imap', 'source: nowhere'));
    assert.throws(() => loadPlan(planFile), InvalidPlanError);
  });

  it('keeps no result that read the clock (a completeAfter), nor one with errors', () => {
    fs.writeFileSync(planFile, BASE_PLAN);
    loadPlan(planFile);
    assert.equal(kept(), undefined);
    fs.writeFileSync(planFile, PLAN.replace('source: contoso-imap', 'source: nowhere'));
    assert.throws(() => loadPlan(planFile), InvalidPlanError);
    assert.equal(kept(), undefined);
  });

  it('ignores a damaged or foreign cache file and writes it again', () => {
    loadPlan(planFile);
    const [file] = fs.readdirSync(path.join(cache, 'plans')).map((f) => path.join(cache, 'plans', f));
    fs.writeFileSync(file, 'not a cache');
    assert.equal(kept(), undefined);
    assert.equal(sources().length, 4);
    assert.ok(kept(), 'written again');
  });

  it("keeps its entries the user's alone: 0600 files in a 0700 folder (items files name a tenant's mailboxes)", function () {
    if (process.platform === 'win32') this.skip();
    loadPlan(planFile);
    const plans = path.join(cache, 'plans');
    assert.equal(fs.statSync(plans).mode & 0o777, 0o700);
    for (const f of fs.readdirSync(plans)) assert.equal(fs.statSync(path.join(plans, f)).mode & 0o777, 0o600, f);
  });

  it('drops the entries of plans that are gone once the folder holds more than PRUNE_ABOVE, and keeps the others', () => {
    const plans = path.join(cache, 'plans');
    fs.mkdirSync(plans, { recursive: true });
    const entry = (file: string) => path.join(plans, Buffer.from(file).toString('base64url'));
    const gone = Array.from({ length: PRUNE_ABOVE }, (_, i) => entry(path.join(dir, `gone-${i}.migration.yaml`)));
    const other = path.join(dir, 'other.migration.yaml');
    fs.writeFileSync(other, PLAN);
    for (const f of [...gone, entry(other)]) fs.writeFileSync(f, 'an entry');
    loadPlan(planFile);
    assert.deepEqual(fs.readdirSync(plans).sort(), [entry(other), entry(planFile)].map((f) => path.basename(f)).sort());
    assert.ok(kept(), 'the new entry is there');
  });

  it('caches nothing without a cache folder (a process bin/ferry.js did not start)', () => {
    setProcessCacheFolder(undefined);
    assert.equal(PlanCache.of(planFile, PLAN), undefined);
    assert.equal(sources().length, 4);
    assert.equal(fs.existsSync(cache), false);
  });
});
