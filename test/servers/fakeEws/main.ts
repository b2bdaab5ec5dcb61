// Runs the fake Exchange standalone: `npm run fake:ews -- --port P --data DIR`. Prints
// `listening <url>` once ready and serves until killed.
import * as path from 'node:path';
import { startFakeEws } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

async function main(): Promise<void> {
  const data = arg('data');
  const fake = await startFakeEws({ port: Number(arg('port') ?? 0), ...(data ? { dataDir: path.resolve(data) } : {}) });
  console.log(`listening ${fake.url}`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
