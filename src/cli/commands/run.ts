// `ferry run <file> --pass P [--batch NAME] [--item ADDRESS] [--state DIR] [--json]`: validates the
// plan, takes the state folder's lock and runs the pass in this process with the same runner code
// the extension forks. Exit 0 all completed, 3 completed with errors, 1 failed, 2 usage.
import { passKinds, type PassKind } from '../../engine/statuses';
import { exitCodeOf, passOutcome, type PassSummary } from '../../engine/summary';
import { InvalidPlanError, loadPlan } from '../../runner/loadPlan';
import { bytes, duration, label, table } from '../format';
import { whilePassRuns, type CliIo } from '../io';
import { absolute, exitForFailure, onStopSignals, openRunner, reportInvalidPlan, reportStoreError, stateDirOf } from '../planState';
import { progressView } from '../terminal';
import { ExitCode, UsageError } from '../usage';
import type { Plan } from '../../plan/model';
import { distributedOf } from '../distributed';

export interface RunArgs {
  file?: string;
  pass?: string;
  batch?: string;
  item?: string;
  state?: string;
  json: boolean;
  /** Distributed mode: return once the pass is enqueued. */
  detach?: boolean;
}

export async function runCommand(args: RunArgs, io: CliIo): Promise<number> {
  const file = args.file;
  if (!file) throw new UsageError('run needs a plan file');
  if (!args.pass) throw new UsageError(`run needs --pass (${passKinds.join('|')})`);
  if (!(passKinds as readonly string[]).includes(args.pass)) throw new UsageError(`unknown --pass "${args.pass}" (${passKinds.join('|')})`);
  // Validate before the state folder is touched: an invalid plan leaves nothing behind.
  let plan: Plan;
  try {
    plan = loadPlan(absolute(io, file)).plan;
  } catch (err) {
    if (err instanceof InvalidPlanError) return reportInvalidPlan(io, err, args.json);
    throw err;
  }
  // FERRY_DATABASE_URL set: the pass goes to the workers of the shared queue (README, several machines).
  const shared = distributedOf(io);
  // Distributed mode's code (PostgreSQL, queues) is loaded only then.
  if (shared) return (await import('./runDistributed.js')).runDistributed({ plan, pass: args.pass as PassKind, batch: args.batch, item: args.item, json: args.json, detach: args.detach ?? false }, io, shared);
  if (args.detach) throw new UsageError('--detach is for distributed mode (FERRY_DATABASE_URL)');
  const stateDir = stateDirOf(io, args.file, args.state);
  const service = openRunner(io, stateDir);
  if (!service) return ExitCode.failed;
  const view = progressView(io, false);
  service.events.on((e) => view.onEvent(e));
  const unhook = onStopSignals(io, 'ferry: stopping cleanly after the items in flight (Ctrl-C again quits at once)...', () => service.stop());
  try {
    const summary = await whilePassRuns(() => service.start({ planFile: absolute(io, file), plan, pass: args.pass as PassKind, batch: args.batch, item: args.item }));
    view.done();
    if (args.json) io.out(JSON.stringify(summary, null, 2));
    else printSummary(io, summary);
    if (service.backupFailure) reportStoreError(io, service.backupFailure, 'ferry: warning: the state backup was not written (the previous one stays): ');
    return exitCodeOf(summary);
  } catch (err) {
    view.done();
    return exitForFailure(io, err, args.json, stateDir);
  } finally {
    unhook();
    service.close();
  }
}

export function printSummary(io: CliIo, s: PassSummary): void {
  if (s.status === 'refused') {
    io.err(`ferry: ${s.kind} pass refused: ${s.code} ${s.message}`);
    for (const e of s.excluded) io.err(`  [${e.batch}] ${e.source}: ${e.code} ${e.message}`);
    return;
  }
  // A verify pass moves nothing: what it tells is whether both sides matched.
  const status = (i: PassSummary['items'][number]) => (s.kind === 'verify' && i.status === 'Completed' && i.matchState ? `${label(i.status)} (${i.matchState})` : label(i.status));
  const rows = [['Batch', 'Mailbox', 'Destination', 'Status', 'Items', 'Size', 'Skipped', 'Errors', 'Code']];
  for (const i of s.items) rows.push([i.batch, i.source, i.destination, status(i), String(i.copied), bytes(i.bytes), String(i.skipped), String(i.errors), i.code ?? '']);
  for (const line of table(rows, [4, 6, 7])) io.out(line);
  for (const e of s.excluded) io.out(`not run: [${e.batch}] ${e.source}: ${e.code} ${e.message}`);
  const t = s.totals;
  io.out('');
  io.out(
    `${s.kind} pass ${passOutcome(s).word} in ${duration(s.durationMs)}: ${t.items} mailbox${t.items === 1 ? '' : 'es'}, ${t.completed} completed, ${t.withErrors} with errors, ${t.failed} failed` +
      `${t.waiting ? `, ${t.waiting} waiting` : ''}; ${t.copied} items (${bytes(t.bytes)}) copied, ${t.skipped} skipped, ${t.errors} item errors.`,
  );
  if (s.code) io.out(`${s.code}: ${s.message}`);
}
