// Running a fake server standalone (`npm run fake:ews`, `npm run fake:m365`): --port P and --data
// DIR from the command line, one `listening ...` line once ready, served until SIGINT/SIGTERM.
import * as path from 'node:path';

/** The value after `--name` on the command line. */
export function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

export function runStandalone<T extends { close(): Promise<void> }>(start: (options: { port: number; dataDir?: string }) => Promise<T>, listening: (fake: T) => string): void {
  const data = arg('data');
  start({ port: Number(arg('port') ?? 0), ...(data ? { dataDir: path.resolve(data) } : {}) }).then(
    (fake) => {
      console.log(listening(fake));
      const stop = () => void fake.close().then(() => process.exit(0));
      process.on('SIGINT', stop);
      process.on('SIGTERM', stop);
    },
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exit(1);
    },
  );
}
