// `ferry approve <file> [--batch NAME] [--item ADDRESS] [--state DIR]`: records an approval for
// mailboxes above mailboxQuotaGB (Confirmation required); the next pass copies them.
import type { CliIo } from '../io';
import { absolute, exitForFailure, openRunner, stateDirOf } from '../planState';
import { ExitCode, UsageError } from '../usage';

export function approveCommand(args: { file?: string; batch?: string; item?: string; state?: string }, io: CliIo): number {
  if (!args.file) throw new UsageError('approve needs a plan file');
  const service = openRunner(io, stateDirOf(io, args.file, args.state));
  if (!service) return ExitCode.failed;
  try {
    const by = io.env.USER ?? io.env.USERNAME ?? 'ferry';
    const approved = service.approve(absolute(io, args.file), by, args.batch, args.item);
    for (const a of approved) io.out(`approved ${a}`);
    if (!approved.length) io.out('Nothing to approve.');
    return ExitCode.ok;
  } catch (err) {
    return exitForFailure(io, err, false);
  } finally {
    service.close();
  }
}
