// Runs the fake Microsoft 365 standalone: `npm run fake:m365 -- --port P --data DIR`. Prints
// `listening <url> ca=<path>` once ready and serves until killed.
import * as path from 'node:path';
import { startFakeM365 } from './server';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i === -1 ? undefined : process.argv[i + 1];
}

async function main(): Promise<void> {
  const port = Number(arg('port') ?? 0);
  const data = arg('data');
  const fake = await startFakeM365({ port, ...(data ? { dataDir: path.resolve(data) } : {}), ...(arg('token-lifetime') ? { tokenLifetimeSeconds: Number(arg('token-lifetime')) } : {}) });
  console.log(`listening ${fake.url} ca=${fake.caPath}`);
  const stop = () => void fake.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exit(1);
});
