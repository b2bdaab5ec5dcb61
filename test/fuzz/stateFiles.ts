// Damages a real state database (`.ferry/state.db`) in one of many ways, for the state-file fuzz
// harness (test/integration/store/stateFuzz.test.ts). Each damage is drawn from a seeded generator,
// so a seed and a case number reproduce it.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { newDatabase } from '../../src/store/sqlite';

export interface Damaged {
  /** What was done, to print with the outcome. */
  detail: string;
  /** Undoes what outlives the damage (a process holding a lock); absent for damage to the file. */
  undo?: () => Promise<void>;
}

const pageSize = 4096;
const int = (random: () => number, below: number) => Math.floor(random() * below);

/** Runs SQL on the database as any program could (no Ferry checks). */
function sql(file: string, text: string): void {
  const db = newDatabase(file);
  try {
    db.exec(text);
  } finally {
    db.close();
  }
}

function garbage(random: () => number, length: number): Buffer {
  const bytes = Buffer.alloc(length);
  for (let i = 0; i < length; i++) bytes[i] = int(random, 256);
  return bytes;
}

function overwrite(file: string, at: number, bytes: Buffer): void {
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, bytes, 0, bytes.length, at);
  } finally {
    fs.closeSync(fd);
  }
}

/** A process that is not Ferry holding an exclusive lock on the database until undone. */
async function lockedByAnother(file: string): Promise<Damaged> {
  const script = `const { DatabaseSync } = require('node:sqlite'); const db = new DatabaseSync(${JSON.stringify(file)}); db.exec('PRAGMA locking_mode = EXCLUSIVE'); db.exec('BEGIN EXCLUSIVE'); db.exec('CREATE TABLE IF NOT EXISTS other_program (x)'); process.stdout.write('locked\\n'); process.stdin.resume();`;
  const child: ChildProcess = spawn(process.execPath, ['--no-warnings', '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout!.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the locking process exited with ${code}`)));
  });
  return {
    detail: `locked by another process (pid ${child.pid})`,
    undo: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGKILL');
      }),
  };
}

/** Every kind of damage, by name. */
export const damages: Record<string, (file: string, random: () => number) => Damaged | Promise<Damaged>> = {
  truncate(file, random) {
    const size = fs.statSync(file).size;
    const at = 1 + int(random, size - 1);
    fs.truncateSync(file, at);
    return { detail: `truncated to ${at} of ${size} bytes` };
  },
  garbagePages(file, random) {
    const pages = Math.floor(fs.statSync(file).size / pageSize);
    const hit = Array.from({ length: 1 + int(random, 3) }, () => int(random, pages));
    for (const page of hit) overwrite(file, page * pageSize, garbage(random, pageSize));
    return { detail: `garbage over page(s) ${hit.map((p) => p + 1).join(', ')} of ${pages}` };
  },
  garbageBytes(file, random) {
    const size = fs.statSync(file).size;
    const runs = Array.from({ length: 1 + int(random, 8) }, () => [int(random, size), 1 + int(random, 16)] as const);
    for (const [at, length] of runs) overwrite(file, at, garbage(random, Math.min(length, size - at)));
    return { detail: `garbage bytes at ${runs.map(([at, length]) => `${at}+${length}`).join(', ')}` };
  },
  header(file, random) {
    const length = 1 + int(random, 100);
    overwrite(file, 0, garbage(random, length));
    return { detail: `garbage over the first ${length} header bytes` };
  },
  zeroBytes(file) {
    fs.truncateSync(file, 0);
    return { detail: 'zero bytes' };
  },
  missing(file) {
    fs.rmSync(file);
    return { detail: 'the file is gone' };
  },
  directory(file) {
    fs.rmSync(file);
    fs.mkdirSync(file);
    return { detail: 'a directory where the file should be' };
  },
  schemaVersionNewer(file, random) {
    const version = 4 + int(random, 100);
    sql(file, `INSERT INTO schema_version (version, applied_at) VALUES (${version}, 'then')`);
    return { detail: `schema version ${version}` };
  },
  schemaVersionOlder(file) {
    sql(file, 'DELETE FROM schema_version WHERE version > 1');
    return { detail: 'schema version 1 over version 3 tables' };
  },
  schemaVersionGone(file, random) {
    sql(file, random() < 0.5 ? 'DELETE FROM schema_version' : 'DROP TABLE schema_version');
    return { detail: 'schema version rows or table gone' };
  },
  userVersion(file, random) {
    const version = 1 + int(random, 1000);
    sql(file, `PRAGMA user_version = ${version}`);
    return { detail: `user_version ${version} (Ferry does not use it)` };
  },
  tableDropped(file, random) {
    const table = ['watermarks', 'intents', 'folder_cursors', 'items', 'passes'][int(random, 5)];
    sql(file, `PRAGMA foreign_keys = OFF; DROP TABLE ${table}`);
    return { detail: `table ${table} dropped` };
  },
  locked: (file) => lockedByAnother(file),
};

export const damageKinds = Object.keys(damages);

/** Copies a folder tree (a project with its state folder) for one case. */
export function copyTree(from: string, to: string): void {
  fs.cpSync(from, to, { recursive: true });
}

export const stateFileIn = (stateDir: string) => path.join(stateDir, 'state.db');
