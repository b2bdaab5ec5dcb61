// How numbers, sizes, times and statuses read in the views: "Synced · 1,204 items · 2.3 GB · 3 errors".
import { batchStatusLabel, itemStatusLabel } from '../engine/statusWords';

export { bytes, duration, when } from '../engine/display';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${integer.format(n)} ${n === 1 ? singular : plural}`;
}

export { batchStatusLabel, itemStatusLabel, syncStateLabel } from '../engine/statusWords';

/** A pass's or another non-status word as the views print it (statuses have their own labels above). */
export function label(status: string): string {
  return batchStatusLabel(status);
}

/** How a mailbox's status reads in every view. */
export const itemLabel = (i: { status?: string; stats?: { finalized?: boolean } }): string => itemStatusLabel(i.status, i.stats?.finalized);

/** Joins the parts that have something to say with " · ". */
export function dotted(...parts: (string | false | undefined)[]): string {
  return parts.filter(Boolean).join(' · ');
}
