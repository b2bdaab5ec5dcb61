// `ferry approve <file> [--batch NAME] [--item ADDRESS] [--state DIR]`: records an approval for
// mailboxes above mailboxQuotaGB (Confirmation required); the next pass copies them.
import type { CliIo } from '../io';
import { approveItems } from '../../engine/batchCommands';
import { loadPlan } from '../../runner/loadPlan';
import { distributedOf, withSharedStore } from '../distributed';
import { absolute, exitForFailure, openRunner, stateDirOf } from '../planState';
import { ExitCode, UsageError } from '../usage';

export function approveCommand(args: { file?: string; batch?: string; item?: string; state?: string }, io: CliIo): number {
  if (!args.file) throw new UsageError('approve needs a plan file');
  const by = io.env.USER ?? io.env.USERNAME ?? 'ferry';
  // Distributed mode: the approval goes to the shared store, where every worker reads it.
  const shared = distributedOf(io);
  if (shared) {
    try {
      const plan = loadPlan(absolute(io, args.file)).plan;
      return printApproved(io, withSharedStore(shared, (store) => approveItems(store, plan, by, args.batch, args.item)));
    } catch (err) {
      return exitForFailure(io, err, false);
    }
  }
  const service = openRunner(io, stateDirOf(io, args.file, args.state));
  if (!service) return ExitCode.failed;
  try {
    return printApproved(io, service.approve(absolute(io, args.file), by, args.batch, args.item));
  } catch (err) {
    return exitForFailure(io, err, false);
  } finally {
    service.close();
  }
}

function printApproved(io: CliIo, approved: readonly string[]): number {
  for (const a of approved) io.out(`approved ${a}`);
  if (!approved.length) io.out('Nothing to approve.');
  return ExitCode.ok;
}
