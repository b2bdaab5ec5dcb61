// A `ferry` child process a kill test starts and later kills: its stdout and stderr go to a file in
// the project's folder (not a pipe: a pipe nobody reads could fill and stall the child, and a
// killed child's last words stay readable), and `output()` gives them to every assertion message,
// so a run that ended on its own says why.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface FerryChild {
  child: ChildProcess;
  /** The file that holds the child's stdout and stderr. */
  logFile: string;
  /** How the child ended (or that it runs) and the end of what it wrote, for an assertion message. */
  output(): string;
}

let spawned = 0;
/** The children started and not ended yet (a failed or timed-out test leaves them to killLeftChildren). */
const running = new Set<FerryChild>();

/** The last `max` characters of a text (its start cut, marked). */
const tail = (text: string, max: number) => (text.length > max ? `[...]${text.slice(-max)}` : text);

/** Starts `node ferry ...args` in `cwd`, its output into `cwd/ferry-child-<n>.log`. */
export function spawnFerry(ferry: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): FerryChild {
  const logFile = path.join(cwd, `ferry-child-${++spawned}.log`);
  const fd = fs.openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(process.execPath, [ferry, ...args], { cwd, env, stdio: ['ignore', fd, fd] });
  } finally {
    fs.closeSync(fd); // the child has its own copy
  }
  const output = () => {
    const state = child.exitCode !== null ? `exited with ${child.exitCode}` : child.signalCode !== null ? `ended by ${child.signalCode}` : 'running';
    const text = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8') : '';
    return `ferry ${args.join(' ')} (pid ${child.pid}, ${state}) wrote ${text ? `:\n${tail(text, 4000)}` : 'nothing'}`;
  };
  const started: FerryChild = { child, logFile, output };
  running.add(started);
  child.once('exit', () => running.delete(started));
  return started;
}

/**
 * Registers an afterEach that kills (SIGKILL, each by its pid) the children a failed or timed-out
 * test left running and, when the test did not pass, prints what they wrote and `more()` (what the
 * test was waiting for).
 */
export function killLeftChildrenAfterEach(more: () => string = () => ''): void {
  afterEach(function () {
    const left = [...running].map((c) => {
      running.delete(c);
      c.child.kill('SIGKILL');
      return c.output();
    });
    if (this.currentTest?.state !== 'passed') console.log([more(), ...left].filter(Boolean).map((l) => `      ${l}`).join('\n'));
  });
}
