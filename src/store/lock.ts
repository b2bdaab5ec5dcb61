// One runner per state folder: `runner.lock` holds the owner's pid and start time. A lock whose pid
// is no longer alive is stale and taken over, so a killed runner never blocks the next one.
import * as fs from 'node:fs';
import * as path from 'node:path';

export const lockFileName = 'runner.lock';

export interface LockInfo {
  pid: number;
  startedAt: string;
  /** What holds it: 'cli' or 'runner' (the extension's child process). */
  owner: string;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The current lock holder when it is alive; undefined for no lock or a stale one. */
export function readLock(dir: string): LockInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dir, lockFileName), 'utf8')) as LockInfo;
    return typeof info.pid === 'number' && isAlive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

export class LockHeldError extends Error {
  constructor(readonly holder: LockInfo) {
    super(`another Ferry runner (pid ${holder.pid}, since ${holder.startedAt}) owns this state folder`);
  }
}

/**
 * Takes the lock for this process or throws LockHeldError. Creation is exclusive (O_EXCL), so
 * two runners starting at once cannot both win; a stale file is removed and the take retried.
 */
export function acquireLock(dir: string, owner: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, lockFileName);
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString(), owner };
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx' });
      return () => releaseLock(dir);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const holder = readLock(dir);
      if (holder && holder.pid !== process.pid) throw new LockHeldError(holder);
      fs.rmSync(file, { force: true });
    }
  }
  throw new Error(`cannot take the runner lock in ${dir}`);
}

/** Removes the lock if this process holds it. */
export function releaseLock(dir: string): void {
  const file = path.join(dir, lockFileName);
  try {
    const info = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
    if (info.pid === process.pid) fs.rmSync(file, { force: true });
  } catch {
    // Already gone.
  }
}
