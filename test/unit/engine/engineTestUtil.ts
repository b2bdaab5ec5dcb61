// Helpers for engine tests: a plan from YAML text, a store in a temp folder, a world and a runner.
import * as path from 'node:path';
import { validatePlan } from '../../../src/plan/validate';
import type { Plan } from '../../../src/plan/model';
import { Store } from '../../../src/store/store';
import { runPass, type RunPassOptions } from '../../../src/engine/runPass';
import { EngineEvents, type EngineEvent } from '../../../src/engine/events';
import type { RetryPolicy } from '../../../src/engine/backoff';
import { tempDir } from '../helpers/repoRoot';
import { MemoryWorld } from './memoryConnector';

export function planFrom(yaml: string, dir = tempDir('engine')): Plan {
  const file = path.join(dir, 'test.migration.yaml');
  const { plan, diagnostics } = validatePlan(yaml, { file, readFile: () => undefined });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (errors.length) throw new Error(errors.map((d) => `${d.code} ${d.message}`).join('\n'));
  return plan;
}

export const simplePlan = (items: string[], options = '', batchExtra = '') => `version: 1
project: { name: Test }
endpoints:
  src: { type: maildir, path: ./src }
  dst: { type: maildir, path: ./dst }
source: src
destination: dst
${options ? `options:\n${options}\n` : ''}batches:
  - name: B1
${batchExtra}    items:
${items.map((i) => `      - { source: ${i}@contoso.example, destination: ${i}@fabrikam.example }`).join('\n')}
`;

export const fastRetry: RetryPolicy = { attempts: 3, baseMs: 1, maxMs: 2, sleep: async () => undefined, random: () => 0.5 };

export interface Harness {
  world: MemoryWorld;
  store: Store;
  plan: Plan;
  events: EngineEvent[];
  run(pass: RunPassOptions['pass'], extra?: Partial<RunPassOptions>): ReturnType<typeof runPass>;
}

export function harness(yaml: string, world = new MemoryWorld()): Harness {
  const dir = tempDir('engine');
  const plan = planFrom(yaml, dir);
  const store = Store.open(path.join(dir, '.ferry'));
  const events: EngineEvent[] = [];
  const emitter = new EngineEvents();
  emitter.on((e) => events.push(e));
  const connector = world.connector();
  return {
    world,
    store,
    plan,
    events,
    run: (pass, extra = {}) => runPass({ plan, store, pass, connectors: async () => connector, secrets: () => 'x', events: emitter, retry: fastRetry, ...extra }),
  };
}
