// Reading files a plan names (items files): only regular files inside the plan's folder, symbolic
// links resolved first, opened without blocking (a FIFO would wait forever for a writer) and read
// up to a size bound. Plans arrive through pull requests and CI validates them: a plan must not
// make Ferry read /etc/passwd, wait on /dev/zero or a pipe, or echo what it refused to read.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type FileRefusal = 'outside' | 'missing' | 'notRegular' | 'tooLarge';

export type FileRead = { ok: true; text: string } | { ok: false; refusal: FileRefusal; reason: string; bytes?: number };

/** Whether `target` is `folder` or below it (both absolute and normalised). */
export function isInside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * A regular file's text, at most `limitBytes` long. Never blocks: O_NONBLOCK on open, and anything
 * that is not a regular file (a folder, a device, a FIFO, a socket) is refused before a byte is read.
 */
export function readRegularFile(absolute: string, limitBytes: number): FileRead {
  let fd: number;
  try {
    fd = fs.openSync(absolute, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, refusal: 'missing', reason: code === 'ENOENT' ? 'no such file' : `it cannot be opened (${code ?? 'error'})` };
  }
  try {
    const stat = fs.fstatSync(fd);
    if (!stat.isFile()) return { ok: false, refusal: 'notRegular', reason: 'it is not a regular file (a folder, a device or a pipe)' };
    if (stat.size > limitBytes) return { ok: false, refusal: 'tooLarge', reason: 'it is too large', bytes: stat.size };
    // Read at most one byte past the limit: a file that grows while it is read is still bounded.
    const buffer = Buffer.alloc(Math.min(stat.size, limitBytes) + 1);
    let length = 0;
    for (;;) {
      const n = fs.readSync(fd, buffer, length, buffer.length - length, null);
      if (n === 0) break;
      length += n;
      if (length === buffer.length) return { ok: false, refusal: 'tooLarge', reason: 'it is too large', bytes: length };
    }
    return { ok: true, text: buffer.subarray(0, length).toString('utf8') };
  } catch (err) {
    return { ok: false, refusal: 'missing', reason: `it cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})` };
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads a file by absolute path, undefined when missing (tests give an in-memory one). */
export type ReadText = (absolutePath: string) => string | undefined;

const missing = (absolute: string): FileRead => ({ ok: false, refusal: 'missing', reason: `there is no readable file at ${absolute}` });

/**
 * A file named by a plan, relative to the plan's folder. Absolute paths, paths that climb out, and
 * paths whose symbolic links lead out are refused without opening the file.
 */
export function readProjectFile(projectDir: string, written: string, limitBytes: number, readText?: ReadText): FileRead {
  const absolute = path.resolve(projectDir, written);
  if (path.isAbsolute(written) || !isInside(projectDir, absolute)) return { ok: false, refusal: 'outside', reason: 'it is outside the project folder' };
  if (readText) {
    const text = readText(absolute);
    if (text === undefined) return missing(absolute);
    const bytes = Buffer.byteLength(text);
    return bytes > limitBytes ? { ok: false, refusal: 'tooLarge', reason: 'it is too large', bytes } : { ok: true, text };
  }
  let real: string;
  let realDir: string;
  try {
    realDir = fs.realpathSync(projectDir);
    real = fs.realpathSync(absolute);
  } catch {
    return missing(absolute);
  }
  if (!isInside(realDir, real)) return { ok: false, refusal: 'outside', reason: 'a symbolic link leads outside the project folder' };
  const read = readRegularFile(real, limitBytes);
  return read.ok || read.refusal !== 'missing' ? read : missing(absolute);
}
