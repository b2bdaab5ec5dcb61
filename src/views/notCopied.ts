// What a mailbox's passes did not copy, in words for the tree's tooltip and the dashboard: counts
// per catalog code with the code's title, the first skipped items and the folders left out by rule,
// and changes of copied items a delta could not carry (ENG-080).
import type { ItemStatistics } from '../engine/statistics';
import { getEntry } from '../errors/catalog';
import { bytes, when } from './format';

type Skips = Pick<ItemStatistics, 'skipped' | 'skippedItems' | 'excludedFolders'> & Partial<Pick<ItemStatistics, 'deltaNotCarried'>>;

export function skippedCount(s: Skips | undefined): number {
  return Object.values(s?.skipped ?? {}).reduce((a, b) => a + b, 0);
}

/** "3 × ENG-023 Folder holds items the destination cannot take, 1 × ENG-020 …". */
export function skippedByCode(s: Skips | undefined): string {
  return Object.entries(s?.skipped ?? {}).map(([code, n]) => `${n} × ${code}${getEntry(code) ? ` ${getEntry(code)!.title}` : ''}`).join(', ');
}

/** One line per shown skipped item and per folder left out (then how many more the report lists). */
export function notCopiedLines(s: Skips | undefined): string[] {
  if (!s) return [];
  const lines = s.skippedItems.map((i) => [i.folderPath, i.code, i.date && when(i.date), bytes(i.sizeBytes), i.subject].filter(Boolean).join(' · '));
  const more = skippedCount(s) - s.skippedItems.length;
  if (more > 0) lines.push(`… and ${more} more (ferry report lists them all)`);
  for (const f of s.excludedFolders) lines.push(`${f.folderPath} · left out (${f.code}): ${f.rule}${f.itemCount === undefined ? '' : ` · ${f.itemCount} items`}`);
  if (s.deltaNotCarried) lines.push(`changes not carried (${s.deltaNotCarried.code}): ${s.deltaNotCarried.message}`);
  return lines;
}
