// The command line's view of its process, so commands are testable without spawning.
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
  /** Asks a person at a terminal; absent when no one can answer (stdin is not a terminal). */
  ask?(question: string): Promise<string>;
}

/**
 * The reader of stdout or stderr went away (`ferry status | head`): like other Unix tools, Ferry
 * then writes nothing more there and ends quietly with 0, unless a pass is running: a pass is
 * not cut short because nobody reads its lines any more; it finishes and its state is recorded.
 */
const gone = new Set<NodeJS.WriteStream>();
let passesRunning = 0;

function guard(stream: NodeJS.WriteStream): NodeJS.WriteStream {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code !== 'EPIPE') throw err;
    gone.add(stream);
    if (passesRunning === 0) process.exit(0);
  });
  return stream;
}

/** Writes to stdout or stderr of the process, nothing once its reader has gone away. */
export function writeTo(which: 'out' | 'err', text: string): void {
  const stream = streams()[which];
  if (!gone.has(stream)) stream.write(text);
}

/** Runs a pass that outlives a reader going away (the process then exits when it is done). */
export async function whilePassRuns<T>(run: () => Promise<T>): Promise<T> {
  passesRunning++;
  try {
    return await run();
  } finally {
    passesRunning--;
  }
}

let guarded = false;
function streams(): { out: NodeJS.WriteStream; err: NodeJS.WriteStream } {
  if (!guarded) {
    guard(process.stdout);
    guard(process.stderr);
    guarded = true;
  }
  return { out: process.stdout, err: process.stderr };
}

export const processIo: CliIo = {
  cwd: process.cwd(),
  env: process.env,
  out: (line) => writeTo('out', `${line}\n`),
  err: (line) => writeTo('err', `${line}\n`),
  // Looked up when a command asks: process.stdin (and node:tty) load the stream modules, which
  // commands that ask nothing (validate, status) should not pay for at start.
  get ask() {
    return process.stdin.isTTY ? askAtTerminal : undefined;
  },
};

async function askAtTerminal(question: string): Promise<string> {
  const readline = await import('node:readline/promises');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}
