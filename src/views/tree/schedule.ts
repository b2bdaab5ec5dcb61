// What `ferry serve` does next with a batch, for its line in the Projects view: read from the
// `schedule` that `ferry status --json` gives with the project (the same computation as the
// command line), e.g. "next: sync 2026-12-06 14:00Z", "schedule paused", "complete blocked (SCHED-002)".
import type { ScheduleEntry } from '../../engine/schedule';
import { when } from '../format';
import type { ProjectView } from '../projectView';

/** The batch's scheduled actions, soonest first (none before `ferry status` has run for the plan). */
export function batchSchedule(view: ProjectView, batch: string): ScheduleEntry[] {
  const status = view.snapshot?.status as { schedule?: ScheduleEntry[] } | undefined;
  return (status?.schedule ?? []).filter((a) => a.batch === batch);
}

/** The short text of the batch's next action; undefined when nothing is scheduled. */
export function nextScheduled(view: ProjectView, batch: string): string | undefined {
  const next = batchSchedule(view, batch).find((a) => a.action !== 'notice') ?? batchSchedule(view, batch)[0];
  if (!next) return undefined;
  if (next.state === 'paused') return 'schedule paused';
  if (next.state === 'blocked') return `${next.action} blocked (${next.code ?? 'see status'})`;
  return `next: ${next.action} ${next.state.startsWith('due') ? 'now' : when(next.dueAt)}`;
}
