// The delta changes of a report (issue 13): every change a delta carried or left, by kind, per mailbox.
import { changeKinds, type ChangeKind } from '../store/changesRepo';
import type { ItemRow } from '../store/rows';
import type { Store } from '../store/store';

export interface ChangeEntry {
  mailbox: string;
  kind: ChangeKind;
  /** The source folder the item was in. */
  folder: string;
  /** Where it went (moved). */
  toFolder?: string;
  flags?: string[];
  detail?: string;
  at: string;
}

export interface ChangesSection {
  byKind: Record<ChangeKind, number>;
  entries: ChangeEntry[];
}

export function changesOf(store: Store, items: readonly ItemRow[]): ChangesSection {
  const byKind = Object.fromEntries(changeKinds.map((k) => [k, 0])) as Record<ChangeKind, number>;
  const entries: ChangeEntry[] = [];
  for (const item of items) {
    for (const c of store.changes.changes(item.id)) {
      byKind[c.kind]++;
      entries.push({ mailbox: item.source, kind: c.kind, folder: c.folderPath, ...(c.toPath ? { toFolder: c.toPath } : {}), ...(c.flags ? { flags: c.flags } : {}), ...(c.detail ? { detail: c.detail } : {}), at: c.createdAt });
    }
  }
  return { byKind, entries };
}
