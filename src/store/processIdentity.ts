// Who a pid is: a pid alone names a different process once the first has ended and the number is
// reused. A process is the same one only while its pid *and* its start time match. Linux reads the
// start time from /proc (clock ticks since boot); other Unix systems ask `ps`; where neither
// answers (Windows) the identity cannot be proven and callers must not act on the pid.
import * as fs from 'node:fs';

export function isAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The start time of a live process as an opaque string; undefined when gone or unknowable here. */
export function processStartTime(pid: number): string | undefined {
  if (!isAlive(pid)) return undefined;
  if (process.platform === 'linux') {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces and parentheses): starttime is the 22nd field.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return fields[19] ? `linux:${fields[19]}` : undefined;
    } catch {
      return undefined;
    }
  }
  if (process.platform === 'win32') return undefined;
  // Required here: on Linux (/proc) a pass never loads child_process.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { spawnSync } = require('node:child_process') as typeof import('node:child_process');
  const ps = spawnSync('ps', ['-o', 'lstart=', '-p', String(pid)], { encoding: 'utf8' });
  const started = ps.status === 0 ? ps.stdout.trim() : '';
  return started ? `ps:${started}` : undefined;
}

/** True when `pid` is alive and is the very process that recorded `startTime`. */
export function isSameProcess(pid: number, startTime: string | undefined): boolean {
  return startTime !== undefined && processStartTime(pid) === startTime;
}
