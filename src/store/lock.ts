// One runner per state folder. The lock is one the operating system holds for the runner's life:
// an exclusive SQLite transaction (BEGIN EXCLUSIVE, a POSIX/Windows byte-range lock) on the empty
// file `runner.lockdb`, kept open until release. Taking it is one atomic system call, so two
// runners can never both win, whatever the interleaving; and the OS drops it when the process ends
// (even kill -9), so there is no stale lock to detect or remove, and no pid to trust for that.
//
// `runner.lock` says who holds it (pid, the process' start time, owner). It is written after the
// lock is taken, by rename, and removed before the lock is released; it is believed only while the
// OS lock is held and its pid is the very process that wrote it (same start time): a crashed
// runner's pid reused by another program is never mistaken for a runner.
//
// POSIX drops every lock a process holds on a file when the process closes *any* descriptor of that
// file: nothing may open `runner.lockdb` except through SQLite (which knows this), hence the
// separate identity file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { holdPointSync } from './holdPoint';
import { processStartTime, isSameProcess } from './processIdentity';
import { newDatabase, sqliteCode, SQLITE, type Database } from './sqlite';

export const lockFileName = 'runner.lock';
export const lockDbName = 'runner.lockdb';

export interface LockInfo {
  pid: number;
  startedAt: string;
  /** What holds it: 'cli' or 'runner' (the extension's child process). */
  owner: string;
  /** The holder's process start time (processIdentity.ts): proves the pid is still that process. */
  processStart?: string;
}

/** Is the state folder's lock held; `holder` when the holding process is proven, else what runner.lock claims. */
export interface LockState {
  held: boolean;
  holder?: LockInfo;
  claimed?: LockInfo;
}

/** Locks this process holds, by state folder. */
const held = new Map<string, { db: Database; info: LockInfo }>();

function readIdentity(dir: string): LockInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(path.join(dir, lockFileName), 'utf8')) as LockInfo;
    return typeof info.pid === 'number' ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Who holds the lock: nobody, a runner proven by pid and start time, or one not proven (yet). */
export function probeLock(dir: string): LockState {
  const mine = held.get(path.resolve(dir));
  if (mine) return { held: true, holder: mine.info };
  const file = path.join(dir, lockDbName);
  if (!fs.existsSync(file)) return { held: false };
  let db: Database | undefined;
  try {
    db = newDatabase(file, { readOnly: true });
    db.exec('PRAGMA busy_timeout = 0');
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    db.exec('ROLLBACK');
    return { held: false };
  } catch (err) {
    if (sqliteCode(err) !== SQLITE.BUSY) throw err;
  } finally {
    db?.close();
  }
  const claimed = readIdentity(dir);
  return claimed && isSameProcess(claimed.pid, claimed.processStart) ? { held: true, holder: claimed } : { held: true, claimed };
}

/** The proven holder of the lock; undefined when nobody holds it or the holder is not proven. */
export function readLock(dir: string): LockInfo | undefined {
  return probeLock(dir).holder;
}

export class LockHeldError extends Error {
  constructor(readonly holder: LockInfo | undefined) {
    super(holder ? `another Ferry runner (pid ${holder.pid}, since ${holder.startedAt}) owns this state folder` : 'another Ferry runner is taking this state folder at this moment');
  }
}

/** Takes the lock for this process or throws LockHeldError. Returns the release function. */
export function acquireLock(dir: string, owner: string): () => void {
  fs.mkdirSync(dir, { recursive: true });
  const key = path.resolve(dir);
  const mine = held.get(key);
  if (mine) throw new LockHeldError(mine.info);
  holdPointSync('lock.beforeTake');
  const db = newDatabase(path.join(dir, lockDbName));
  try {
    // A probe (ferry status, ferry stop) holds a shared lock for an instant: wait it out.
    db.exec('PRAGMA busy_timeout = 500');
    db.exec('BEGIN EXCLUSIVE');
  } catch (err) {
    db.close();
    if (sqliteCode(err) === SQLITE.BUSY) throw new LockHeldError(probeLock(dir).holder);
    throw err;
  }
  holdPointSync('lock.afterTake');
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString(), owner, processStart: processStartTime(process.pid) };
  try {
    const file = path.join(dir, lockFileName);
    fs.writeFileSync(`${file}.${process.pid}.tmp`, JSON.stringify(info));
    fs.renameSync(`${file}.${process.pid}.tmp`, file);
  } catch (err) {
    db.close();
    throw err;
  }
  held.set(key, { db, info });
  holdPointSync('lock.afterIdentity');
  return () => releaseLock(dir);
}

/** Releases the lock if this process holds it: the identity goes first, then the OS lock. */
export function releaseLock(dir: string): void {
  const key = path.resolve(dir);
  const mine = held.get(key);
  if (!mine) return;
  held.delete(key);
  const claimed = readIdentity(dir);
  if (claimed?.pid === process.pid && claimed.processStart === mine.info.processStart) fs.rmSync(path.join(dir, lockFileName), { force: true });
  mine.db.close();
}
