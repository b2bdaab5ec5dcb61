// What the plan outline holds about batches and items (see planOutline.ts).
import type { Range } from '../plan/diagnostic';
import type { ItemOrigin } from '../plan/model';

export interface LineSpan {
  first: number;
  last: number;
}

export interface OutlineItem {
  source: string;
  /** Written, or derived from identityMapping; undefined when neither works. */
  destination?: string;
  approveOversize: boolean;
  /** The `source` value in the plan, or the line of a CSV items file. */
  origin: ItemOrigin;
  /** Plan lines of the whole entry (absent for CSV items): what removing it deletes. */
  lines?: LineSpan;
}

export interface OutlineBatch {
  name: string;
  index: number;
  nameRange: Range;
  lines: LineSpan;
  /** Endpoint names after batch overrides. */
  source?: string;
  destination?: string;
  itemsFile?: string;
  startAfter?: string;
  completeAfter?: string;
  items: OutlineItem[];
  /** Column of the batch's keys (`name:`, `items:`). */
  keyCol: number;
  /** The block `items:` list: its key line and the column of its `- ` markers (unknown while empty). */
  itemsList?: { keyLine: number; dashCol?: number; flow: boolean };
}
