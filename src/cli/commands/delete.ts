// `ferry delete <file> <batch> [--yes] [--state DIR]`: deletes what Ferry remembers about a batch
// (statuses, statistics, copy records; mail already copied stays), as VS Code's Delete Batch State:
// only in a final state (the catalog's HTTP 409 rule, resourceTypeMismatch, otherwise). Asks first.
import { formatMessage } from '../../errors/catalog';
import { findProjectOf } from '../../engine/projectIdentity';
import { finalBatchStatuses } from '../../engine/statuses';
import { batchStatusLabel } from '../../engine/statusWords';
import type { CliIo } from '../io';
import { confirmed } from '../confirm';
import { absolute, exitForFailure, loadPlanOrReport, openRunner, stateDirOf } from '../planState';
import { ExitCode, UsageError } from '../usage';
import type { BatchCommandArgs } from './complete';

export async function deleteCommand(args: Omit<BatchCommandArgs, 'json'>, io: CliIo): Promise<number> {
  if (!args.file || !args.batch) throw new UsageError('delete needs a plan file and a batch name');
  const plan = loadPlanOrReport(io, args.file, false);
  if (typeof plan === 'number') return plan;
  const stateDir = stateDirOf(io, args.file, args.state);
  const service = openRunner(io, stateDir);
  if (!service) return ExitCode.failed;
  try {
    if (!plan.batches.some((b) => b.name === args.batch)) throw new UsageError(`ENG-052 ${formatMessage('ENG-052', ['Batch', args.batch])}`);
    const store = service.openStore();
    const projectId = findProjectOf(store, plan.file, plan.project.name);
    const row = projectId === undefined ? undefined : store.batches.getBatch(projectId, args.batch);
    if (!row) {
      io.out(`Batch ${args.batch} has no run state to delete.`);
      return ExitCode.ok;
    }
    // Checked before asking: a batch in flight is refused whatever the answer (409).
    if (!finalBatchStatuses.includes(row.status)) {
      io.err(`ferry: resourceTypeMismatch (HTTP 409) ${formatMessage('resourceTypeMismatch', [args.batch])} It is ${batchStatusLabel(row.status)}.`);
      return ExitCode.failed;
    }
    const question = `Delete what Ferry remembers about batch ${args.batch}? Its statuses, statistics and copy records go; mail already copied stays where it is, and a later pass treats the batch as new.`;
    if (!(await confirmed(io, `Deleting the state of batch ${args.batch}`, question, args.yes))) return ExitCode.failed;
    service.delete(absolute(io, args.file), args.batch);
    io.out(`Deleted the run state of batch ${args.batch}.`);
    return ExitCode.ok;
  } catch (err) {
    return exitForFailure(io, err, false, stateDir);
  } finally {
    service.close();
  }
}
