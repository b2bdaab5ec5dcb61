// What the run-state commands share in distributed mode (FERRY_DATABASE_URL set): the machine's
// configuration, the shared store in PostgreSQL, the queue.
import { distributedConfig, type DistributedConfig } from '../distributed/config';
import { envSecrets } from '../engine/secrets';
import { Store } from '../store/store';
import type { CliIo } from './io';

/** The distributed configuration, or undefined in the embedded mode; a refusal (DIST-00x) when unusable. */
export function distributedOf(io: CliIo): DistributedConfig | undefined {
  return distributedConfig(io.env, envSecrets(io.env));
}

/** Runs `fn` on the shared store and closes it. */
export function withSharedStore<T>(config: DistributedConfig, fn: (store: Store) => T): T {
  const store = Store.openShared(config.databaseUrl);
  try {
    return fn(store);
  } finally {
    store.close();
  }
}
