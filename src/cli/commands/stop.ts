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
import * as path from 'node:path';
import type { DistributedConfig } from '../../distributed/config';
import { distributedOf, withSharedStore } from '../distributed';

/**
 * Distributed mode: asks the workers to stop the running passes (of the plan, or all): each worker
 * stops its mailbox cleanly after the items in flight and the pass ends 'stopped'.
 */
function stopDistributed(io: CliIo, config: DistributedConfig, planFile: string | undefined): number {
  const asked = withSharedStore(config, (store) => {
    const projects = new Map(store.batches.listProjects().map((p) => [p.id, p.planFile]));
    return store.passes.runningPasses().filter((p) => planFile === undefined || projects.get(p.projectId) === planFile).filter((p) => store.passes.requestStop(p.id));
  });
  if (!asked.length) io.out('No distributed pass is running: nothing to stop.');
  for (const p of asked) io.out(`Asked the workers to stop pass ${p.id} (${p.kind}); \`ferry status\` shows it end as stopped.`);
  return ExitCode.ok;
}

export async function stopCommand(args: { file?: string; state?: string; waitSeconds: number }, io: CliIo): Promise<number> {
  const shared = distributedOf(io);
  if (shared) return stopDistributed(io, shared, args.file ? path.resolve(io.cwd, args.file) : undefined);
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
