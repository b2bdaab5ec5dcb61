// Small formatters the run, status, plan and report commands share.
import { batchStatusLabel } from '../engine/statusWords';

export { bytes, duration, when } from '../engine/display';

export { batchStatusLabel, itemStatusLabel, syncStateLabel } from '../engine/statusWords';

/** A status or pass word as the command line prints it (statusWords.ts). */
export function label(status: string): string {
  return batchStatusLabel(status);
}

/** Left-aligned columns (numbers right-aligned) separated by two spaces. */
export function table(rows: readonly (readonly string[])[], numeric: readonly number[] = []): string[] {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, [...c].length)), []);
  return rows.map((r) => r.map((c, i) => (numeric.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd());
}
