// How numbers, sizes, times and statuses read in the views: "Synced · 1,204 items · 2.3 GB · 3 errors".
import { statusLabels } from '../engine/statuses';

export { bytes, duration, when } from '../engine/display';

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${integer.format(n)} ${n === 1 ? singular : plural}`;
}

export function label(status: string | undefined): string {
  if (!status) return 'Not started';
  return (statusLabels as Record<string, string>)[status] ?? status;
}

/** Joins the parts that have something to say with " · ". */
export function dotted(...parts: (string | false | undefined)[]): string {
  return parts.filter(Boolean).join(' · ');
}
