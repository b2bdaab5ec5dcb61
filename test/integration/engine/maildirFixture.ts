// Real Maildir folders for the engine's integration tests: unique messages per folder (Maildir++
// layout, nested and non-ASCII names), and a multiset of content hashes to compare two trees.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { openDatabase } from '../../../src/store/sqlite';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { HoldPoints } from '../../unit/helpers/holdPoints';
import { spawnFerry } from './ferryChild';

let counter = 0;

/** Maildir++ directory name of a folder path (modified UTF-7 for non-ASCII). */
function mutf7(name: string): string {
  return name.replace(/&/g, '&-').replace(/[^\x20-\x7e]+/g, (run) => {
    const utf16 = Buffer.alloc(run.length * 2);
    for (let i = 0; i < run.length; i++) utf16.writeUInt16BE(run.charCodeAt(i), i * 2);
    return `&${utf16.toString('base64').replace(/=+$/, '').replace(/\//g, ',')}-`;
  });
}

/** Adds `count` messages to a folder of a mailbox under `root/<address>`; returns their file paths. */
export function addMessages(root: string, address: string, folder: string[], count: number, bodyBytes = 200): string[] {
  const box = path.join(root, address);
  const dir = folder.length === 1 && folder[0] === 'INBOX' ? box : path.join(box, `.${folder.map(mutf7).join('.')}`);
  for (const sub of ['cur', 'new', 'tmp']) fs.mkdirSync(path.join(dir, sub), { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < count; i++) {
    const n = ++counter;
    const date = new Date(Date.UTC(2025, 0, 1) + n * 60_000);
    const text = `Message-ID: <it-${n}-${process.pid}@contoso.example>\nFrom: a@contoso.example\nSubject: message ${n} in ${folder.join('/')}\nDate: ${date.toUTCString()}\n\n${'lorem ipsum '.repeat(Math.ceil(bodyBytes / 12))}\n${n}\n`;
    const file = path.join(dir, 'cur', `${Math.floor(date.getTime() / 1000)}.M${n}P${process.pid}.fixture:2,S`);
    fs.writeFileSync(file, text);
    fs.utimesSync(file, date, date);
    files.push(file);
  }
  return files;
}

/**
 * sha256 of every message file (cur/ and new/, any depth), sorted: equal lists mean equal sets,
 * duplicates included. `crlfAsLf` compares across IMAP servers, which store CRLF line endings.
 */
export function messageHashes(dir: string, options: { crlfAsLf?: boolean } = {}): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    if (!fs.existsSync(d)) return;
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (!e.name.startsWith('.') && /[\\/](cur|new)$/.test(d)) {
        const bytes = fs.readFileSync(p);
        out.push(createHash('sha256').update(options.crlfAsLf ? bytes.toString('latin1').replace(/\r\n/g, '\n') : bytes).digest('hex'));
      }
    }
  };
  walk(dir);
  return out.sort();
}

/** A plan's text up to its batches: Maildir ./source to ./destination, with these options. */
export function maildirPlanHead(project: string, options: string): string {
  return `version: 1
project: { name: ${project} }
endpoints:
  src: { type: maildir, path: ./source }
  dst: { type: maildir, path: ./destination, layout: fs }
source: src
destination: dst
options:
${options}`;
}

export function planYaml(addresses: string[], extraOptions = ''): string {
  return `${maildirPlanHead('Integration', '  maxConcurrentMigrations: 2\n')}${extraOptions}batches:
  - name: Main
    items:
${addresses.map((a) => `      - { source: ${a}@contoso.example, destination: ${a}@fabrikam.example }`).join('\n')}
`;
}

/** The repository root, from out/test/integration/engine. */
export function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json')) || path.basename(dir) === 'out') dir = path.dirname(dir);
  return dir;
}

/** dist/cli.js and dist/runner.js, built when missing. */
export function ensureBuilt(): string {
  const root = repoRoot();
  if (!fs.existsSync(path.join(root, 'dist', 'cli.js')) || !fs.existsSync(path.join(root, 'dist', 'runner.js'))) {
    const r = spawnSync(process.execPath, [path.join(root, 'esbuild.mjs')], { cwd: root, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('esbuild failed');
  }
  return root;
}

/** Rows of a table of a run's store (0 before it exists or is migrated); never creates the file. */
export function storeRows(dbFile: string, table: 'watermarks' | 'intents'): number {
  if (!fs.existsSync(dbFile)) return 0;
  try {
    const db = openDatabase(dbFile);
    try {
      return Number(db.prepare(`SELECT COUNT(*) AS c FROM ${table}`).get()?.c ?? 0);
    } finally {
      db.close();
    }
  } catch {
    return 0; // not migrated yet
  }
}

/** The rows a query gives on the state database of a project in `dir` (`.ferry/state.db`), opened and closed around it. */
export function queryState<T>(dir: string, sql: string): T[] {
  const db = openDatabase(path.join(dir, '.ferry', 'state.db'));
  try {
    return db.prepare(sql).all() as T[];
  } finally {
    db.close();
  }
}

/** Watermarks a run has committed so far. */
export const watermarkCount = (dbFile: string): number => storeRows(dbFile, 'watermarks');

/** Runs `ferry` to its end without blocking this process (a fake server may answer from here). */
export function ferryRun(ferry: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [ferry, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** Resolves once a child process has ended (at once if it already has). */
export const exited = (child: ChildProcess) => new Promise<void>((resolve) => (child.exitCode !== null || child.signalCode !== null ? resolve() : child.once('exit', () => resolve())));

/**
 * Runs `ferry args` until it stops at the hold point `hold` (`name#N`: from its N-th arrival on)
 * and kills it there with SIGKILL; rejects when it ends before reaching it.
 */
export async function killAtHold(ferry: string, args: string[], cwd: string, env: NodeJS.ProcessEnv, hold: string): Promise<void> {
  const holds = new HoldPoints();
  const { child, output } = spawnFerry(ferry, args, cwd, holds.env([hold], env));
  let held = false;
  const reached = holds.reached(hold.split('#')[0]).then(() => void (held = true));
  reached.catch(() => undefined);
  const ended = exited(child).then(() => {
    if (!held) throw new Error(`ferry ended before its hold point ${hold}: ${output()}`);
  });
  await Promise.race([reached, ended]);
  child.kill('SIGKILL');
  await ended;
}

/**
 * Waits on the store of a running `ferry` child: resolves true once `condition` holds, or false when
 * the child exits first. The condition is checked now and after writes to the store's folder (every
 * commit writes state.db or its WAL there: an event, not a timer; a burst of writes is one check).
 */
export function whenStore(child: ChildProcess, dbFile: string, condition: () => boolean): Promise<boolean> {
  const dir = path.dirname(dbFile);
  fs.mkdirSync(dir, { recursive: true });
  return new Promise((resolve) => {
    let done = false;
    let queued = false;
    const watcher = fs.watch(dir);
    const finish = (reached: boolean) => {
      if (done) return;
      done = true;
      watcher.close();
      child.off('exit', onExit);
      resolve(reached);
    };
    const onExit = () => finish(false);
    const check = () => {
      queued = false;
      if (!done && condition()) finish(true);
    };
    watcher.on('change', () => {
      if (!queued) setImmediate(check);
      queued = true;
    });
    watcher.on('error', () => undefined);
    child.once('exit', onExit);
    if (child.exitCode !== null || child.signalCode !== null) finish(false);
    else check();
  });
}
