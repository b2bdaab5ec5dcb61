// `ferry serve <file> [--state DIR] [--look DURATION] [--git-pull DURATION]`: the project runs
// itself. Takes the state folder's runner lock for its life (a manual `ferry run` meanwhile is
// refused with ENG-070), then starts batches at startAfter, syncs Synced batches every
// options.syncInterval, completes them at completeAfter and sends the plan's notifications through
// the SMTP relay of its environment (FERRY_SMTP_*). SIGTERM or Ctrl-C stop it cleanly: the pass in
// flight stops as `ferry stop` stops it and resumes on the next start. Exit 0 after a clean stop.
import { parseDuration } from '../../plan/dates';
import { formatMessage } from '../../errors/catalog';
import { relayFromEnv, RelaySettingsError, type RelaySettings } from '../../notify/relay';
import { Scheduler } from '../../scheduler/scheduler';
import type { CliIo } from '../io';
import { absolute, loadPlanOrReport, onStopSignals, openRunner, reportStoreError, stateDirOf } from '../planState';
import { ExitCode, UsageError } from '../usage';
import { StoreError } from '../../store/storeError';

export interface ServeArgs {
  file?: string;
  state?: string;
  look?: string;
  gitPull?: string;
}

function durationArg(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const ms = parseDuration(value);
  if (ms === undefined) throw new UsageError(`${name} takes a duration such as 30s, 5m or 1h, not "${value}"`);
  return ms;
}

export async function serveCommand(args: ServeArgs, io: CliIo): Promise<number> {
  if (!args.file) throw new UsageError('serve needs a plan file');
  const lookMs = durationArg('--look', args.look);
  const gitPullMs = durationArg('--git-pull', args.gitPull);
  if (typeof loadPlanOrReport(io, args.file, false) === 'number') return ExitCode.failed;
  let relay: RelaySettings | undefined;
  try {
    relay = relayFromEnv(io.env);
  } catch (err) {
    if (!(err instanceof RelaySettingsError)) throw err;
    io.err(`ferry: NOTIFY-003 ${formatMessage('NOTIFY-003', [err.reason])}`);
    return ExitCode.failed;
  }
  const stateDir = stateDirOf(io, args.file, args.state);
  const service = openRunner(io, stateDir, 'serve');
  if (!service) return ExitCode.failed;
  const controller = new AbortController();
  const unhook = onStopSignals(io, 'ferry serve: stopping cleanly after the items in flight (the pass resumes on the next start)...', () => controller.abort());
  const log = (line: string) => io.err(line);
  try {
    await new Scheduler({ planFile: absolute(io, args.file), service, log, lookMs, gitPullMs, relay }).run(controller.signal);
    io.err('ferry serve: stopped.');
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof StoreError) return reportStoreError(io, err);
    throw err;
  } finally {
    unhook();
    service.close();
  }
}
