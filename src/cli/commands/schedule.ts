// `ferry schedule <file> pause|resume|skip|now <batch> [--state DIR]`: the operator's hand on what
// `ferry serve` does with a batch, kept in the state folder (serve reads it at its next look; no
// lock needed, nothing runs here): pause its schedule, resume it, skip its next run, run it now.
import { formatMessage } from '../../errors/catalog';
import { scheduleOf } from '../../scheduler/scheduler';
import { syncPlanToStore } from '../../engine/syncPlan';
import { Store } from '../../store/store';
import type { CliIo } from '../io';
import { loadPlanOrReport, stateDirOf } from '../planState';
import { ExitCode, UsageError } from '../usage';

export const scheduleVerbs = ['pause', 'resume', 'skip', 'now'] as const;

export function scheduleCommand(args: { file?: string; verb?: string; batch?: string; state?: string }, io: CliIo): number {
  if (!args.file || !args.verb || !args.batch) throw new UsageError(`schedule needs a plan file, ${scheduleVerbs.join('|')} and a batch name`);
  if (!(scheduleVerbs as readonly string[]).includes(args.verb)) throw new UsageError(`unknown schedule action "${args.verb}" (${scheduleVerbs.join('|')})`);
  const plan = loadPlanOrReport(io, args.file, false);
  if (typeof plan === 'number') return plan;
  if (!plan.batches.some((b) => b.name === args.batch)) throw new UsageError(`ENG-052 ${formatMessage('ENG-052', ['Batch', args.batch])}`);
  const store = Store.open(stateDirOf(io, args.file, args.state), { quick: true });
  try {
    const projectId = syncPlanToStore(store, plan);
    const row = store.batches.getBatch(projectId, args.batch)!;
    const now = new Date();
    const next = scheduleOf(store, plan, now).find((a) => a.batch === args.batch && a.action !== 'notice');
    switch (args.verb) {
      case 'pause':
        store.schedules.pause(row.id, io.env.USER ?? io.env.USERNAME ?? 'ferry');
        io.out(`Paused the schedule of batch ${args.batch}: ferry serve starts nothing for it until it is resumed.`);
        break;
      case 'resume':
        store.schedules.resume(row.id);
        io.out(`Resumed the schedule of batch ${args.batch}${next ? `: next ${next.action} ${next.dueAt.toISOString()}` : ''}.`);
        break;
      case 'skip':
        if (!next) {
          io.err(`ferry: batch ${args.batch} has nothing scheduled to skip.`);
          return ExitCode.failed;
        }
        store.schedules.skip(row.id, next.action, next.dueAt.toISOString(), `skipped by ${io.env.USER ?? 'ferry'}`);
        io.out(`Skipped the ${next.action} of batch ${args.batch} due ${next.dueAt.toISOString()}.`);
        break;
      case 'now':
        store.schedules.requestRunNow(row.id, now.toISOString());
        io.out(`Asked ferry serve to run the next action of batch ${args.batch} now${next ? ` (${next.action})` : ''}.`);
        break;
    }
    return ExitCode.ok;
  } finally {
    store.close();
  }
}

/** The batches' next actions as status shows them: [batch, action, when, state]. */
