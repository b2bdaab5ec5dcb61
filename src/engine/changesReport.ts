// The delta changes of a report (issue 13): every change a delta carried or left, by kind, per mailbox.
import { itemTypes, type ItemType } from '../plan/model';
import { changeKinds, type ChangeKind } from '../store/changesRepo';
import type { ItemRow } from '../store/rows';
import type { Store } from '../store/store';

export interface ChangeEntry {
  mailbox: string;
  kind: ChangeKind;
  /** What the item is: mail, a contact, a calendar item or a task. */
  itemType: ItemType;
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
  /** The same counts per item type (only the types and kinds that occurred). */
  byItemType: Partial<Record<ItemType, Partial<Record<ChangeKind, number>>>>;
  entries: ChangeEntry[];
}

export function changesOf(store: Store, items: readonly ItemRow[]): ChangesSection {
  const byKind = Object.fromEntries(changeKinds.map((k) => [k, 0])) as Record<ChangeKind, number>;
  const byItemType: ChangesSection['byItemType'] = {};
  const entries: ChangeEntry[] = [];
  for (const item of items) {
    for (const c of store.changes.changes(item.id)) {
      byKind[c.kind]++;
      const itemType = itemTypes.find((t) => t === c.itemType) ?? 'mail';
      const ofType = (byItemType[itemType] ??= {});
      ofType[c.kind] = (ofType[c.kind] ?? 0) + 1;
      entries.push({ mailbox: item.source, kind: c.kind, itemType, folder: c.folderPath, ...(c.toPath ? { toFolder: c.toPath } : {}), ...(c.flags ? { flags: c.flags } : {}), ...(c.detail ? { detail: c.detail } : {}), at: c.createdAt });
    }
  }
  return { byKind, byItemType, entries };
}
