// Reads the message files of one Maildir folder (cur/ and new/; tmp/ holds deliveries in flight).
import { promises as fs } from 'node:fs';
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

/** The message files of a folder; files that vanish during the scan are left out. */
export async function scanFolder(dir: string, signal?: AbortSignal): Promise<MessageFile[]> {
  const files: MessageFile[] = [];
  for (const sub of ['cur', 'new']) {
    let names: string[];
    try {
      names = await fs.readdir(path.join(dir, sub));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    // Stats in small parallel batches: about twice as fast as one by one on a folder of thousands.
    const visible = names.filter((name) => !name.startsWith('.'));
    for (let i = 0; i < visible.length; i += 64) {
      signal?.throwIfAborted();
      const batch = await Promise.all(visible.slice(i, i + 64).map((name) => statMessage(dir, sub, name)));
      for (const file of batch) if (file) files.push(file);
    }
  }
  return files;
}

async function statMessage(dir: string, sub: string, name: string): Promise<MessageFile | undefined> {
  const relPath = `${sub}/${name}`;
  try {
    const stat = await fs.stat(path.join(dir, relPath));
    if (!stat.isFile()) return undefined;
    const { id, info } = parseFileName(name);
    return { id, relPath, info, sizeBytes: stat.size, mtimeMs: Math.floor(stat.mtimeMs) };
  } catch (error) {
    // A client moved it (new/ -> cur/, or a flag change renamed it) or deleted it meanwhile.
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
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
