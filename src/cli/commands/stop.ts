// `ferry stop [file] [--state DIR]`: asks the runner that owns the state folder to stop its pass;
// it finishes the item in flight, records it and exits. Waits up to --wait seconds for it.
// Only a proven runner is signalled: the OS lock of the state folder is held and the pid in
// runner.lock is the process that wrote it (same start time). Anything else is never signalled.
import { formatMessage } from '../../errors/catalog';
import { isSameProcess } from '../../store/processIdentity';
import { probeLock } from '../../store/lock';
import type { CliIo } from '../io';
import { stateDirOf } from '../planState';
import { ExitCode } from '../usage';

export async function stopCommand(args: { file?: string; state?: string; waitSeconds: number }, io: CliIo): Promise<number> {
  const stateDir = stateDirOf(io, args.file, args.state);
  const lock = probeLock(stateDir);
  if (!lock.held) {
    io.out(`No runner owns ${stateDir}: nothing to stop.`);
    return ExitCode.ok;
  }
  const holder = lock.holder;
  // Proven again just before the signal: the pid must still be the process that took the lock.
  if (!holder || !isSameProcess(holder.pid, holder.processStart)) {
    io.err(`ferry: ENG-071 ${formatMessage('ENG-071', [stateDir, String(lock.claimed?.pid ?? holder?.pid ?? 'unknown')])}`);
    return ExitCode.failed;
  }
  try {
    process.kill(holder.pid, 'SIGTERM');
  } catch (err) {
    io.err(`ferry: cannot signal the runner (pid ${holder.pid}): ${(err as Error).message}`);
    return ExitCode.failed;
  }
  io.err(`Asked the runner (pid ${holder.pid}) to stop...`);
  const deadline = Date.now() + args.waitSeconds * 1000;
  while (Date.now() < deadline) {
    if (probeLock(stateDir).holder?.pid !== holder.pid) {
      io.out(`Stopped (pid ${holder.pid}).`);
      return ExitCode.ok;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  io.out(`The runner (pid ${holder.pid}) is still finishing; it stops after the item in flight.`);
  return ExitCode.ok;
}
