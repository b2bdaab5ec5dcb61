// Which items of a listed folder a pass copies: the plan's filters (date range, maximum size),
// which skip an item with a recorded reason, and the pass's scope (pre-stage cut-off, trial limits),
// which only leave items for a later pass.
import type { ItemRef } from '../connectors/types';
import type { PlanOptions } from '../plan/model';
import type { PassKind } from './statuses';

export const trialItemsPerFolder = 10;
export const trialBytesPerMailbox = 5 * 1024 * 1024;
const MB = 1024 * 1024;
const DAY = 24 * 60 * 60 * 1000;

export type ItemDecision = { action: 'copy' } | { action: 'skip'; code: string; args: string[] } | { action: 'later' };

/** ENG-025 when an item is larger than what the destination takes (undefined: no limit, or within it). */
export function tooLargeFor(maxBytes: number | undefined, sizeBytes: number, folderPath: string): ItemDecision | undefined {
  if (maxBytes === undefined || sizeBytes <= maxBytes) return undefined;
  return { action: 'skip', code: 'ENG-025', args: [(sizeBytes / MB).toFixed(1), folderPath, (maxBytes / MB).toFixed(0)] };
}

export class ItemRules {
  private readonly cutoff?: number;
  private trialBytes = 0;

  constructor(private readonly options: PlanOptions, private readonly pass: PassKind, now: Date, private readonly destinationMaxBytes?: number) {
    if (pass === 'prestage') this.cutoff = now.getTime() - options.preStageOlderThanDays * DAY;
  }

  /** Decides one item; `inFolder` counts the items this folder already gave the pass (trial). */
  decide(ref: ItemRef, folderPath: string, inFolder: number): ItemDecision {
    const { dateRange, maxItemSizeMB } = this.options;
    const t = ref.date.getTime();
    if ((dateRange.from && t < dateRange.from.getTime()) || (dateRange.to && t > dateRange.to.getTime())) {
      return { action: 'skip', code: 'ENG-021', args: [ref.date.toISOString(), folderPath] };
    }
    if (ref.sizeBytes > maxItemSizeMB * MB) {
      return { action: 'skip', code: 'ENG-020', args: [(ref.sizeBytes / MB).toFixed(1), folderPath, String(maxItemSizeMB)] };
    }
    const tooLarge = tooLargeFor(this.destinationMaxBytes, ref.sizeBytes, folderPath);
    if (tooLarge) return tooLarge;
    if (this.cutoff !== undefined && t >= this.cutoff) return { action: 'later' };
    if (this.pass === 'trial') {
      if (inFolder >= trialItemsPerFolder || this.trialBytes + ref.sizeBytes > trialBytesPerMailbox) return { action: 'later' };
      this.trialBytes += ref.sizeBytes;
    }
    return { action: 'copy' };
  }

  /** Item types the pass moves: pre-stage holds calendars, contacts and tasks back. */
  static itemTypesFor(pass: PassKind, options: PlanOptions): string[] {
    return pass === 'prestage' ? options.itemTypes.filter((t) => t === 'mail') : options.itemTypes;
  }

  /** True when the pass saw every item it listed (so the folder cursor may move). */
  static movesCursor(pass: PassKind): boolean {
    return pass === 'full' || pass === 'delta';
  }
}
