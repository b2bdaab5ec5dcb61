// Bounds on what validating a plan may cost, whatever its shape: plans arrive through pull requests
// and the editor validates on every keystroke. A plan of 50,000 mailboxes with a destination each is
// about 3.3 MB and 350,000 values; the limits leave room for twice that with per-item credentials.

const MiB = 1024 * 1024;

export const planLimits = {
  /** Bytes of plan text (PLAN-045). */
  planBytes: 8 * MiB,
  /** Bytes of one items file (PLAN-049). */
  itemsFileBytes: 16 * MiB,
  /** Bytes of all items files of one plan together (PLAN-049). */
  itemsFilesTotalBytes: 32 * MiB,
  /** Nesting of maps and sequences, aliases expanded (PLAN-047); a plan needs about 8. */
  depth: 64,
  /** Values (scalars, maps, sequences) once aliases are expanded (PLAN-046). */
  expandedValues: 2_000_000,
  /** Alias nodes (`*name`) in one plan (PLAN-046): the yaml library resolves each by a scan. */
  aliases: 10_000,
  /** YAML syntax errors listed one by one (PLAN-001); a text broken on every line says the rest in one finding. */
  syntaxFindings: 100,
  /** Characters of one folder expression (PLAN-050). */
  patternLength: 1_000,
  /** Milliseconds validation may take before it stops with PLAN-048. */
  deadlineMs: 15_000,
} as const;

/**
 * The validation deadline: FERRY_PLAN_DEADLINE_MS when set to a positive number (a very large plan
 * on a slow or busy machine), else planLimits.deadlineMs.
 */
export function planDeadlineMs(env: Readonly<Record<string, string | undefined>> = typeof process === 'undefined' ? {} : process.env): number {
  const set = Number(env.FERRY_PLAN_DEADLINE_MS);
  return Number.isFinite(set) && set > 0 ? set : planLimits.deadlineMs;
}

export const mebibytes = (bytes: number): string => (bytes / MiB).toFixed(bytes % MiB === 0 ? 0 : 1);
