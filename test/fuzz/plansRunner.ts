// Runs one fuzzed plan case the way CI does: its project folder on disk (the plan, its CSV files,
// a FIFO, symbolic links out of it) and `ferry validate --format json` on it in-process. The promise
// checked: findings or clean, never a throw or a stack trace, every code in the catalog, and nothing
// of a file outside the project folder in the output. Time is measured for the report, never asserted.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { main } from '../../src/cli/main';
import { getEntry } from '../../src/errors/catalog';
import { CANARY, OUTSIDE_FILE, type PlanCase } from './plansGenerator';

export interface PlanCaseOutcome {
  plan: PlanCase;
  ms: number;
  exitCode?: number;
  codes: string[];
  /** Broken promises; empty when the case passed. */
  problems: string[];
}

/** The folder the case folders live in, with the file outside them that no finding may echo. */
export function prepareFuzzRoot(root: string): void {
  fs.mkdirSync(root, { recursive: true });
  fs.writeFileSync(path.join(root, OUTSIDE_FILE), `source,${CANARY}\n${CANARY}@contoso.example,x\n`);
}

function writeCase(root: string, c: PlanCase): string {
  const dir = path.join(root, `case-${c.index}`);
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'fuzz.migration.yaml'), c.plan);
  for (const [name, file] of Object.entries(c.files)) {
    const target = path.join(dir, name);
    if ('text' in file) fs.writeFileSync(target, file.text);
    else if ('fifo' in file) spawnSync('mkfifo', [target]);
    else fs.symlinkSync(file.symlinkTo === 'outside' ? path.join(root, OUTSIDE_FILE) : file.symlinkTo, target);
  }
  return dir;
}

export async function runPlanCase(root: string, c: PlanCase): Promise<PlanCaseOutcome> {
  const dir = writeCase(root, c);
  const out: string[] = [];
  const problems: string[] = [];
  let exitCode: number | undefined;
  const started = performance.now();
  try {
    exitCode = await main(['validate', '--format', 'json', 'fuzz.migration.yaml'], { cwd: dir, env: {}, out: (l) => out.push(l), err: (l) => out.push(l) });
  } catch (err) {
    problems.push(`threw: ${(err as Error).stack ?? String(err)}`);
  }
  const ms = performance.now() - started;
  let codes: string[] = [];
  if (exitCode !== undefined) {
    if (exitCode !== 0 && exitCode !== 1) problems.push(`exit code ${exitCode}`);
    const printed = out.join('\n');
    if (printed.includes(CANARY)) problems.push('the output holds text of a file outside the project folder');
    if (/^\s+at .+:\d+:\d+\)?$/m.test(printed)) problems.push('the output holds a stack trace');
    try {
      const json = JSON.parse(out[0] ?? '') as { diagnostics: { code: string }[] };
      codes = [...new Set(json.diagnostics.map((d) => d.code))];
      for (const code of codes) if (!getEntry(code)) problems.push(`code ${code} is not in the catalog`);
    } catch {
      problems.push('the JSON output does not parse');
    }
  }
  if (!problems.length) fs.rmSync(dir, { recursive: true, force: true });
  return { plan: c, ms, exitCode, codes, problems };
}
