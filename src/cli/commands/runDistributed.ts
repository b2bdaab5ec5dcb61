// `ferry run` in distributed mode: the pass is opened in the shared store and its mailboxes are put
// on the queue as jobs for `ferry worker` processes; this command follows the pass to its end and
// prints the same summary as an embedded run (or, with --detach, returns once it is enqueued).
// Ctrl-C asks the workers to stop the pass cleanly; a second Ctrl-C leaves it running.
import type { DistributedConfig } from '../../distributed/config';
import { enqueuePass, followPass } from '../../distributed/dispatch';
import { openQueueSite } from '../../distributed/queues';
import { EngineEvents } from '../../engine/events';
import type { PassKind } from '../../engine/statuses';
import { exitCodeOf } from '../../engine/summary';
import type { Plan } from '../../plan/model';
import { Store } from '../../store/store';
import type { CliIo } from '../io';
import { ExitCode } from '../usage';
import { printSummary } from './run';

export interface DistributedRunArgs {
  plan: Plan;
  pass: PassKind;
  batch?: string;
  item?: string;
  json: boolean;
  detach: boolean;
}

export async function runDistributed(args: DistributedRunArgs, io: CliIo, config: DistributedConfig): Promise<number> {
  const store = Store.openShared(config.databaseUrl);
  const site = await openQueueSite(config);
  const onSignal: { fn?: () => void } = {};
  try {
    const enqueued = await enqueuePass({ plan: args.plan, store, site, pass: args.pass, batch: args.batch, item: args.item, events: new EngineEvents() });
    if (!('passId' in enqueued) || !('queue' in enqueued)) {
      if (args.json) io.out(JSON.stringify(enqueued, null, 2));
      else printSummary(io, enqueued);
      return exitCodeOf(enqueued);
    }
    const line = `pass ${enqueued.passId} (${args.pass}): ${enqueued.mailboxes} mailbox job${enqueued.mailboxes === 1 ? '' : 's'} on ${enqueued.queue} at ${site.where}`;
    if (args.detach) {
      if (args.json) io.out(JSON.stringify({ status: 'enqueued', ...enqueued }, null, 2));
      else io.out(`${line}; \`ferry status\` follows it, \`ferry stop\` stops it.`);
      return ExitCode.ok;
    }
    io.err(`ferry: ${line}; following (Ctrl-C stops the pass, twice leaves it running).`);
    let signals = 0;
    onSignal.fn = () => {
      if (++signals > 1) process.exit(130);
      io.err('ferry: asking the workers to stop this pass cleanly after the items in flight (Ctrl-C again leaves it running)...');
      store.passes.requestStop(enqueued.passId);
    };
    process.on('SIGINT', onSignal.fn);
    process.on('SIGTERM', onSignal.fn);
    const summary = await followPass(site, enqueued, store);
    if (args.json) io.out(JSON.stringify(summary, null, 2));
    else printSummary(io, summary);
    return exitCodeOf(summary);
  } finally {
    if (onSignal.fn) {
      process.off('SIGINT', onSignal.fn);
      process.off('SIGTERM', onSignal.fn);
    }
    store.close();
  }
}
