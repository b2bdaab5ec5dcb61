// Reads the message files of one Maildir folder (cur/ and new/; tmp/ holds deliveries in flight).
import { promises as fs, readdirSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { parseFileName } from './maildirFileName';

/** One message file: where it is and what its name and stat say. */
export interface MessageFile {
  id: string;
  /** Path relative to the folder directory, e.g. `cur/1700000000.1_1.host,S=12:2,S`. */
  relPath: string;
  info: string;
  sizeBytes: number;
  /** Whole milliseconds: the received time delivery agents (and Ferry) set. */
  mtimeMs: number;
}

/** The file name of a MessageFile's relPath (`cur/<name>`: a name holds no separator). */
export function nameOf(relPath: string): string {
  return relPath.slice(relPath.indexOf('/') + 1);
}

/** Files stat'ed between two turns of the event loop (a scan of 200,000 never holds it long). */
const STATS_PER_TURN = 2000;

/**
 * The message files of a folder; files that vanish during the scan are left out. Synchronous
 * stats, a few thousand per turn of the event loop: on a local disk one awaited thread-pool round
 * trip per file cost several times the stat itself (the scan of 20,000 went from 0.2 s to 0.05 s).
 */
export async function scanFolder(dir: string, signal?: AbortSignal): Promise<MessageFile[]> {
  const files: MessageFile[] = [];
  for (const sub of ['cur', 'new']) {
    let names: string[];
    try {
      names = readdirSync(path.join(dir, sub));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    const visible = names.filter((name) => !name.startsWith('.'));
    for (let i = 0; i < visible.length; i += STATS_PER_TURN) {
      if (i > 0) await new Promise<void>((resolve) => setImmediate(resolve));
      signal?.throwIfAborted();
      for (const name of visible.slice(i, i + STATS_PER_TURN)) {
        const file = statMessage(dir, sub, name);
        if (file) files.push(file);
      }
    }
  }
  return files;
}

function statMessage(dir: string, sub: string, name: string): MessageFile | undefined {
  const relPath = `${sub}/${name}`;
  // A client moved it (new/ -> cur/, or a flag change renamed it) or deleted it meanwhile: undefined.
  // Joined by hand: path.join normalises the whole path again for each of 20,000 files.
  const stat = statSync(`${dir}${path.sep}${sub}${path.sep}${name}`, { throwIfNoEntry: false });
  if (!stat?.isFile()) return undefined;
  const { id, info } = parseFileName(name);
  return { id, relPath, info, sizeBytes: stat.size, mtimeMs: Math.floor(stat.mtimeMs) };
}

/** Finds the current file of an id (its name changes with its flags); undefined when it is gone. */
export async function findFile(dir: string, id: string): Promise<string | undefined> {
  for (const sub of ['cur', 'new']) {
    let names: string[];
    try {
      names = await fs.readdir(path.join(dir, sub));
    } catch {
      continue;
    }
    const name = names.find((n) => n === id || n.startsWith(`${id}:`));
    if (name) return `${sub}/${name}`;
  }
  return undefined;
}
