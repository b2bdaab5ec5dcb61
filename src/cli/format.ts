// Small formatters the run, status, plan and report commands share.
import { statusLabels } from '../engine/statuses';

export { bytes, duration, when } from '../engine/display';

export function label(status: string): string {
  return (statusLabels as Record<string, string>)[status] ?? status;
}

/** Left-aligned columns (numbers right-aligned) separated by two spaces. */
export function table(rows: readonly (readonly string[])[], numeric: readonly number[] = []): string[] {
  const widths = rows.reduce<number[]>((w, r) => r.map((c, i) => Math.max(w[i] ?? 0, [...c].length)), []);
  return rows.map((r) => r.map((c, i) => (numeric.includes(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join('  ').trimEnd());
}
