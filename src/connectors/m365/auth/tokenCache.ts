// Where msal's token caches live. The command line keeps them in memory only (nothing on disk).
// The runner of the extension is given the caches VS Code kept in SecretStorage when it starts and
// sends each change back, so a device-code sign-in or an app token outlives the runner process.
// Keys are hashes of the authority, app and credential (tokenProvider.cacheKey): no secret in them.
import type { ICachePlugin } from '@azure/msal-node';

export interface TokenCacheStore {
  load(key: string): string | undefined;
  save(key: string, data: string): void;
}

const memory = new Map<string, string>();
const inMemory: TokenCacheStore = { load: (key) => memory.get(key), save: (key, data) => void memory.set(key, data) };
let store = inMemory;

/** Replaces where caches are kept (the runner: its parent's SecretStorage); undefined: memory again. */
export function setTokenCacheStore(next?: TokenCacheStore): void {
  store = next ?? inMemory;
}

/** Empties the in-memory caches (a persisted store is its owner's business). */
export function clearMemoryTokenCaches(): void {
  memory.clear();
}

/** msal's cache plugin for one application's cache. */
export function cachePlugin(key: string): ICachePlugin {
  return {
    async beforeCacheAccess(context) {
      const data = store.load(key);
      if (data) context.tokenCache.deserialize(data);
    },
    async afterCacheAccess(context) {
      if (context.cacheHasChanged) store.save(key, context.tokenCache.serialize());
    },
  };
}
