// Deterministic hold points for tests that must stop a process between two steps (the runner lock's
// windows, a pass at a known item). Off unless FERRY_HOLD_AT names the point, so production code
// pays one environment lookup. A test sets, for the child process it starts:
//   FERRY_HOLD_AT="lock.afterTake,source.read#200"   points to hold at (`#N`: from the N-th call on)
//   FERRY_HOLD_DIR=/tmp/...                           where the handshake files go
// At a held point the process writes `<name>.<pid>.reached` and waits until the test creates
// `<name>.release` (every process) or `<name>.<pid>.release` (that one process).
import * as fs from 'node:fs';
import * as path from 'node:path';

const calls = new Map<string, number>();

function armed(name: string): string | undefined {
  const spec = process.env.FERRY_HOLD_AT;
  const dir = process.env.FERRY_HOLD_DIR;
  if (!spec || !dir) return undefined;
  const count = (calls.get(name) ?? 0) + 1;
  calls.set(name, count);
  for (const entry of spec.split(',')) {
    const [point, from] = entry.trim().split('#');
    if (point === name && count >= Number(from ?? 1)) return dir;
  }
  return undefined;
}

export const reachedFile = (dir: string, name: string, pid: number) => path.join(dir, `${name}.${pid}.reached`);
export const releaseFile = (dir: string, name: string, pid?: number) => path.join(dir, pid === undefined ? `${name}.release` : `${name}.${pid}.release`);

function announce(dir: string, name: string): () => boolean {
  const reached = reachedFile(dir, name, process.pid);
  if (!fs.existsSync(reached)) {
    fs.writeFileSync(`${reached}.tmp`, String(process.pid));
    fs.renameSync(`${reached}.tmp`, reached);
  }
  return () => fs.existsSync(releaseFile(dir, name)) || fs.existsSync(releaseFile(dir, name, process.pid));
}

/** Waits at `name` while a test holds it (synchronous code: the runner lock). */
export function holdPointSync(name: string): void {
  const dir = armed(name);
  if (!dir) return;
  const released = announce(dir, name);
  const cell = new Int32Array(new SharedArrayBuffer(4));
  while (!released()) Atomics.wait(cell, 0, 0, 10);
}

/** Waits at `name` while a test holds it (asynchronous code: a pass). */
export async function holdPoint(name: string): Promise<void> {
  const dir = armed(name);
  if (!dir) return;
  const released = announce(dir, name);
  while (!released()) await new Promise((resolve) => setTimeout(resolve, 10));
}
