// A process that opens projects on request, for projectRace.test.ts: each line on stdin is a JSON
// { kind: 'sqlite', dir, planFile, name } (a state folder opened fresh, as `ferry run` opens the one
// beside its plan) or { kind: 'postgres', url, planFile, name } (the shared store, opened once);
// it opens the project as a pass does and answers one line: { id } or { error }.
import * as readline from 'node:readline';
import { ensureProjectOf } from '../../../src/engine/projectIdentity';
import { Store } from '../../../src/store/store';

interface Request {
  kind: 'sqlite' | 'postgres';
  dir?: string;
  url?: string;
  planFile: string;
  name: string;
}

let shared: Store | undefined;

function open(r: Request): number {
  if (r.kind === 'postgres') {
    shared ??= Store.openShared(r.url!);
    return ensureProjectOf(shared, r.planFile, r.name);
  }
  const store = Store.open(r.dir!);
  try {
    return ensureProjectOf(store, r.planFile, r.name);
  } finally {
    store.close();
  }
}

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  let answer: { id: number } | { error: string };
  try {
    answer = { id: open(JSON.parse(line) as Request) };
  } catch (err) {
    answer = { error: err instanceof Error ? err.message : String(err) };
  }
  process.stdout.write(`${JSON.stringify(answer)}\n`);
});
lines.on('close', () => shared?.close());
