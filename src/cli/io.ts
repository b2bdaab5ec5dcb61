// The command line's view of its process, so commands are testable without spawning.
export interface CliIo {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out(line: string): void;
  err(line: string): void;
  /** Asks a person at a terminal; absent when no one can answer (stdin is not a terminal). */
  ask?(question: string): Promise<string>;
}

export const processIo: CliIo = {
  cwd: process.cwd(),
  env: process.env,
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  ...(process.stdin.isTTY ? { ask: askAtTerminal } : {}),
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
