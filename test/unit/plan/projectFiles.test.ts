// Files a plan names are read only inside its folder, only when regular, never blocking, and within
// a size bound; what was refused never appears in a finding. On disk, in a folder the test owns.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { validatePlan } from '../../../src/plan/validate';
import { planLimits } from '../../../src/plan/limits';
import { main } from '../../../src/cli/main';
import { tempDir } from '../helpers/repoRoot';
import { BASE_CSV, BASE_PLAN, NOW, PLAN_FILE } from './planTestUtil';

const SECRET = 'root-canary-line:x:0:0';
const hasMkfifo = spawnSync('mkfifo', ['--version']).status === 0;

describe('items files a plan names', () => {
  let root: string;
  let project: string;
  let outside: string;
  const planWith = (itemsFile: string) => BASE_PLAN.replace('itemsFile: wave2.csv', `itemsFile: ${JSON.stringify(itemsFile)}`);
  const validate = (itemsFile: string) => validatePlan(planWith(itemsFile), { file: path.join(project, 'p.migration.yaml'), now: NOW });
  const itemsFileFindings = (itemsFile: string) => validate(itemsFile).diagnostics.filter((d) => d.range.start.line === 43 || d.file !== path.join(project, 'p.migration.yaml'));

  beforeEach(() => {
    root = tempDir('project-files');
    project = path.join(root, 'project');
    fs.mkdirSync(project);
    outside = path.join(root, 'passwd.csv');
    fs.writeFileSync(outside, `${SECRET}\nsource\n`);
    fs.writeFileSync(path.join(project, 'wave2.csv'), BASE_CSV);
  });
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  it('reads a CSV file beside the plan', () => {
    assert.deepEqual(validate('wave2.csv').diagnostics, []);
  });

  for (const [name, target] of [['an absolute path', () => outside], ['a path that climbs out', () => '../passwd.csv']] as const) {
    it(`refuses ${name} without reading it (PLAN-038, an error), nothing of it echoed`, () => {
      const result = validate(target());
      assert.deepEqual(result.diagnostics.map((d) => d.code), ['PLAN-038']);
      assert.equal(result.diagnostics[0].severity, 'error');
      assert.ok(!JSON.stringify(result).includes(SECRET));
    });
  }

  it('refuses a symbolic link inside the project that leads out of it', () => {
    fs.symlinkSync(outside, path.join(project, 'link.csv'));
    const result = validate('link.csv');
    assert.deepEqual(result.diagnostics.map((d) => d.code), ['PLAN-038']);
    assert.match(result.diagnostics[0].message, /symbolic link leads outside/);
    assert.ok(!JSON.stringify(result.diagnostics).includes(SECRET));
  });

  it('refuses a link to /dev/zero and a folder, without blocking', () => {
    fs.symlinkSync('/dev/zero', path.join(project, 'zero.csv'));
    assert.deepEqual(validate('zero.csv').diagnostics.map((d) => d.code), ['PLAN-038']);
    fs.mkdirSync(path.join(project, 'folder.csv'));
    const folder = itemsFileFindings('folder.csv');
    assert.deepEqual(folder.map((d) => d.code), ['PLAN-022']);
    assert.match(folder[0].message, /not a regular file/);
  });

  (hasMkfifo ? it : it.skip)('refuses a FIFO without waiting for a writer (PLAN-022)', () => {
    spawnSync('mkfifo', [path.join(project, 'pipe.csv')]);
    const findings = itemsFileFindings('pipe.csv');
    assert.deepEqual(findings.map((d) => d.code), ['PLAN-022']);
    assert.match(findings[0].message, /not a regular file/);
  });

  it('refuses an items file past the size bound (PLAN-049), and past the plan\'s total', function () {
    this.timeout(300_000); // a hang guard, not a bound: 48 MB of text and 1.8 million rows take 22 s alone and past 60 s beside a CI run
    const big = `source\n${'a@contoso.example\n'.repeat(Math.ceil(planLimits.itemsFileBytes / 18) + 1)}`;
    // The deadline is not what this is about: a busy machine may need longer than 15 s for 48 MB.
    const one = validatePlan(BASE_PLAN, { file: PLAN_FILE, now: NOW, readFile: () => big, deadlineMs: 600_000 });
    assert.deepEqual(one.diagnostics.map((d) => d.code), ['PLAN-049']);
    assert.match(one.diagnostics[0].message, /up to 16 MB/);
    const half = `source\n${'b@contoso.example\n'.repeat(Math.floor(planLimits.itemsFileBytes / 18) - 1)}`;
    const three = BASE_PLAN.replace('    itemsFile: wave2.csv\n', '    itemsFile: a.csv\n  - name: W3\n    itemsFile: b.csv\n  - name: W4\n    itemsFile: c.csv\n');
    const total = validatePlan(three, { file: PLAN_FILE, now: NOW, readFile: () => half, deadlineMs: 600_000 }).diagnostics.filter((d) => d.code === 'PLAN-049');
    assert.equal(total.length, 1);
    assert.match(total[0].message, /up to 32 MB of items files for one plan/);
  });

  it('`ferry validate` prints a plan broken on each of 150,000 lines: the first syntax errors and a count of the rest', async function () {
    this.timeout(120_000); // a hang guard for a busy machine, not a bound
    fs.writeFileSync(path.join(project, 'broken.migration.yaml'), ']\n'.repeat(150_000));
    const out: string[] = [];
    const io = { cwd: project, env: {}, out: (l: string) => out.push(l), err: () => undefined };
    // The deadline is not what this is about (a busy machine may need longer than 15 s).
    const before = process.env.FERRY_PLAN_DEADLINE_MS;
    process.env.FERRY_PLAN_DEADLINE_MS = '600000';
    try {
      assert.equal(await main(['validate', '--format', 'json', 'broken.migration.yaml'], io), 1);
    } finally {
      if (before === undefined) delete process.env.FERRY_PLAN_DEADLINE_MS;
      else process.env.FERRY_PLAN_DEADLINE_MS = before;
    }
    const { diagnostics } = JSON.parse(out[0]) as { diagnostics: { code: string; message: string }[] };
    assert.equal(diagnostics.length, planLimits.syntaxFindings + 1);
    assert.match(diagnostics[planLimits.syntaxFindings].message, /149,900 more errors from here on are not listed/);
  });

  it('`ferry validate` on a FIFO or a device ends with PLAN-003 instead of waiting', async () => {
    if (hasMkfifo) spawnSync('mkfifo', [path.join(project, 'plan.migration.yaml')]);
    const out: string[] = [];
    const io = { cwd: project, env: {}, out: (l: string) => out.push(l), err: () => undefined };
    assert.equal(await main(['validate', '--format', 'json', hasMkfifo ? 'plan.migration.yaml' : '/dev/zero', '/dev/zero'], io), 1);
    const codes = (JSON.parse(out[0]) as { diagnostics: { code: string }[] }).diagnostics.map((d) => d.code);
    assert.deepEqual(codes, ['PLAN-003', 'PLAN-003']);
  });
});
