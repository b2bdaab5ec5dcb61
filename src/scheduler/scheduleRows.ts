// What `ferry serve` does next with each batch of a plan, as `ferry status --json` and the VS Code
// views show it ("next: sync 14:00Z", "paused", "complete blocked (SCHED-002)"): computed from the
// plan and the store like the scheduler itself. The plan is read again only when its file changed
// (the views ask on every refresh); a plan that does not validate has no schedule to show.
import * as fs from 'node:fs';
import { formatMessage } from '../errors/catalog';
import type { ScheduleEntry } from '../engine/schedule';
import type { Plan } from '../plan/model';
import { InvalidPlanError, loadPlan } from '../runner/loadPlan';
import type { Store } from '../store/store';
import { scheduleOf } from './scheduler';

const plans = new Map<string, { mtimeMs: number; size: number; plan: Plan | undefined }>();

function planOf(planFile: string): Plan | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(planFile);
  } catch {
    return undefined;
  }
  const known = plans.get(planFile);
  if (known && known.mtimeMs === stat.mtimeMs && known.size === stat.size) return known.plan;
  let plan: Plan | undefined;
  try {
    plan = loadPlan(planFile).plan;
  } catch (err) {
    if (!(err instanceof InvalidPlanError)) throw err;
  }
  plans.set(planFile, { mtimeMs: stat.mtimeMs, size: stat.size, plan });
  return plan;
}

/** Each batch's scheduled actions, soonest first; undefined when the plan cannot be read or validated. */
export function scheduleRows(store: Store, planFile: string, now: Date): ScheduleEntry[] | undefined {
  const plan = planOf(planFile);
  if (!plan) return undefined;
  return scheduleOf(store, plan, now).map((a) => ({ batch: a.batch, action: a.action, dueAt: a.dueAt.toISOString(), state: a.resumed ? 'due (resumes)' : a.state, ...(a.code ? { code: a.code, message: formatMessage(a.code, a.args ?? []) } : {}) }));
}
