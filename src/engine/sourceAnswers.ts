// A source whose answers to the listing calls are kept for one later identical call: what a quiet
// delta's check (quietDelta.ts) asked the source is not asked again when the delta then runs in full.
import type { FolderChanges, FolderCursor, FolderInfo, ItemListing, SourceMailbox } from '../connectors/types';

type Listing = 'listItems' | 'listChanges';

export interface KeptAnswers {
  /** The source as the rest of the pass uses it: each kept answer is given once, then it asks again. */
  readonly source: SourceMailbox;
  listFolders(): Promise<FolderInfo[]>;
  listItems(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<ItemListing>;
  listChanges(folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<FolderChanges>;
}

export function keepAnswers(source: SourceMailbox): KeptAnswers {
  let folders: Promise<FolderInfo[]> | undefined;
  const kept = new Map<string, Promise<unknown>>();
  const key = (call: Listing, folder: FolderInfo, cursor: FolderCursor | undefined) => `${call}\0${folder.id}\0${JSON.stringify(cursor ?? null)}`;
  const ask = <T>(call: Listing, folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<T> => {
    const answer = (source[call] as (f: FolderInfo, c: FolderCursor | undefined, s: AbortSignal) => Promise<T>).call(source, folder, cursor, signal);
    kept.set(key(call, folder, cursor), answer);
    return answer;
  };
  const take = <T>(call: Listing, folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal): Promise<T> => {
    const k = key(call, folder, cursor);
    const answer = kept.get(k) as Promise<T> | undefined;
    kept.delete(k);
    return answer ?? (source[call] as (f: FolderInfo, c: FolderCursor | undefined, s: AbortSignal) => Promise<T>).call(source, folder, cursor, signal);
  };
  const bound = new Map<PropertyKey, unknown>();
  const view = new Proxy(source, {
    get(target, name) {
      if (name === 'listFolders') {
        return () => {
          const answer = folders ?? target.listFolders();
          folders = undefined;
          return answer;
        };
      }
      if ((name === 'listItems' || name === 'listChanges') && target[name]) return (folder: FolderInfo, cursor: FolderCursor | undefined, signal: AbortSignal) => take(name, folder, cursor, signal);
      const value: unknown = Reflect.get(target, name, target);
      if (typeof value !== 'function') return value;
      if (!bound.has(name)) bound.set(name, (value as (...args: unknown[]) => unknown).bind(target));
      return bound.get(name);
    },
  });
  return {
    source: view,
    listFolders: () => (folders = source.listFolders()),
    listItems: (folder, cursor, signal) => ask('listItems', folder, cursor, signal),
    listChanges: (folder, cursor, signal) => ask('listChanges', folder, cursor, signal),
  };
}
