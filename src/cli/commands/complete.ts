// `ferry complete <file> <batch> [--yes] [--state DIR] [--json]`: the batch's cut-over, as VS Code's
// Complete Batch does it: a final delta, then Completed with its mailboxes finalized. Allowed when
// the batch is Synced (ENG-040 otherwise) and not before completeAfter (ENG-032). Asks first.
import type { CliIo } from '../io';
import { confirmed } from '../confirm';
import { absolute, exitForFailure, loadPlanOrReport, openRunner, stateDirOf } from '../planState';
import { ExitCode, UsageError } from '../usage';
import { exitCodeOf } from '../../engine/summary';
import { printSummary } from './run';

export interface BatchCommandArgs {
  file?: string;
  batch?: string;
  state?: string;
  yes: boolean;
  json: boolean;
}

export async function completeCommand(args: BatchCommandArgs, io: CliIo): Promise<number> {
  if (!args.file || !args.batch) throw new UsageError('complete needs a plan file and a batch name');
  const plan = loadPlanOrReport(io, args.file, args.json);
  if (typeof plan === 'number') return plan;
  const question = `Complete batch ${args.batch}? Ferry runs a final delta and marks its mailboxes finalized: do this at the cut-over, once mail flows to the destination.`;
  if (!(await confirmed(io, `Completing batch ${args.batch}`, question, args.yes))) return ExitCode.failed;
  const stateDir = stateDirOf(io, args.file, args.state);
  const service = openRunner(io, stateDir);
  if (!service) return ExitCode.failed;
  try {
    const summary = await service.complete(absolute(io, args.file), args.batch);
    if (args.json) io.out(JSON.stringify(summary, null, 2));
    else printSummary(io, summary);
    const status = service.status(absolute(io, args.file)).projects[0]?.batches.find((b) => b.batch.name === args.batch)?.batch.status;
    if (!args.json && status) io.out(`Batch ${args.batch}: ${status}.`);
    return exitCodeOf(summary);
  } catch (err) {
    return exitForFailure(io, err, args.json, stateDir);
  } finally {
    service.close();
  }
}
