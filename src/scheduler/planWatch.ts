// The plan as `ferry serve` runs it: read again whenever the plan file or a file it names (items,
// templates) changes, or after a `git pull` brought changes. A plan with errors is reported
// (SCHED-003) and not taken: scheduled runs wait until it is fixed.
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { formatMessage } from '../errors/catalog';
import type { Plan } from '../plan/model';
import { InvalidPlanError, loadPlan } from '../runner/loadPlan';

export type PlanState = { plan: Plan; valid: true } | { plan?: Plan; valid: false; codes: string[] };

export class PlanWatch {
  private signature = '';
  private state?: PlanState;

  constructor(readonly planFile: string, private readonly log: (line: string) => void) {}

  /** The files whose change means the plan may read differently. */
  private files(): string[] {
    const dir = path.dirname(this.planFile);
    const plan = this.state?.plan;
    if (!plan) return [this.planFile];
    const n = plan.options.notifications;
    const named = [...plan.batches.map((b) => b.itemsFile), ...Object.values(n.templates), n.endUsers?.template].filter((f): f is string => !!f);
    return [this.planFile, ...named.map((f) => path.resolve(dir, f))];
  }

  private currentSignature(): string {
    return this.files()
      .map((f) => {
        const s = fs.statSync(f, { throwIfNoEntry: false });
        return s ? `${f}:${s.mtimeMs}:${s.size}:${s.ino}` : `${f}:-`;
      })
      .join('|');
  }

  /** The plan now: read again when something changed; `changed` says whether it was. */
  current(): PlanState & { changed: boolean } {
    const signature = this.currentSignature();
    if (this.state && signature === this.signature) return { ...this.state, changed: false };
    const previous = this.state?.plan;
    const readBefore = this.state !== undefined;
    try {
      const { plan } = loadPlan(this.planFile);
      this.state = { plan, valid: true };
      if (readBefore) this.log(`plan ${this.planFile} changed: read again (${plan.batches.length} batches)`);
    } catch (err) {
      if (!(err instanceof InvalidPlanError)) throw err;
      const codes = [...new Set(err.diagnostics.filter((d) => d.severity === 'error').map((d) => d.code))];
      this.state = { plan: previous, valid: false, codes };
      this.log(`SCHED-003 ${formatMessage('SCHED-003', [this.planFile, codes.join(', ')])}`);
      for (const d of err.diagnostics.filter((x) => x.severity === 'error')) this.log(`  ${d.code} ${d.message}`);
    }
    // The signature of the files the plan now names (an items file added is watched from now on).
    this.signature = this.currentSignature();
    return { ...this.state, changed: true };
  }
}

/** `git pull --ff-only` in the plan's repository; the error text when it failed. */
export function gitPull(dir: string): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile('git', ['-C', dir, 'pull', '--ff-only', '--quiet'], { timeout: 120_000 }, (err, _stdout, stderr) => resolve(err ? (stderr.trim() || err.message).split('\n')[0] : undefined));
  });
}
