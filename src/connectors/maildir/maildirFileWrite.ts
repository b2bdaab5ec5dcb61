// The file system calls that change a Maildir destination, made so the change survives a power
// loss before the caller records it done: a file's data is synced (fdatasync) before it is renamed
// into place, and the directory that gained or lost the name is synced (fsync) after the rename.
// Through one object so a test can observe the real calls and their order (no fake file system).
import { closeSync, fdatasync, futimesSync, openSync, promises as fs, renameSync, writeSync } from 'node:fs';

export const maildirFs = {
  /**
   * Creates (or truncates) `file` with `data`, mtime and atime `date`, written synchronously
   * through its descriptor; returns the descriptor, still open, for `datasync` then `close`.
   */
  writeOpen(file: string, data: Buffer, date: Date): number {
    const fd = openSync(file, 'w', 0o666);
    try {
      for (let at = 0; at < data.length; ) at += writeSync(fd, data, at, data.length - at);
      futimesSync(fd, date, date);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
    return fd;
  },
  /** fdatasync on libuv's thread pool: a batch's files sync in parallel. */
  datasync(fd: number): Promise<void> {
    return new Promise((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
  },
  close(fd: number): void {
    closeSync(fd);
  },
  /** A small file (the keyword file's tmp), written and its data synced. */
  async writeSynced(file: string, data: string): Promise<void> {
    const handle = await fs.open(file, 'w', 0o666);
    try {
      await handle.writeFile(data);
      await handle.datasync();
    } finally {
      await handle.close();
    }
  },
  /** An existing file's mtime and atime set, and synced (fsync: the times are metadata). */
  async touchSynced(file: string, date: Date): Promise<void> {
    const handle = await fs.open(file, 'r');
    try {
      await handle.utimes(date, date);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  renameSync(from: string, to: string): void {
    renameSync(from, to);
  },
  rename(from: string, to: string): Promise<void> {
    return fs.rename(from, to);
  },
  unlink(file: string): Promise<void> {
    return fs.unlink(file);
  },
  /** fsync of a directory: the names created, renamed in or out, or removed in it are durable. */
  async syncDir(dir: string): Promise<void> {
    const handle = await fs.open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
};

/** Syncs each directory once (a set: a directory touched twice is synced once), in parallel. */
export async function syncDirs(dirs: Iterable<string>): Promise<void> {
  await Promise.all([...new Set(dirs)].map((dir) => maildirFs.syncDir(dir)));
}
