// When the extension's bundle began evaluating its modules: extension.ts imports this first, so
// activate() can tell how long loading its modules took before VS Code called it.
export const bundleStartedAt = performance.now();
/** The process's CPU time then: on a busy machine wall time says more about the others. */
export const bundleStartedCpu = process.cpuUsage();

/** Milliseconds of CPU (user + system) since `from`. */
export function cpuMsSince(from: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1000;
}

/** How long activation took, in milliseconds (figures, printed by `npm run bench:activation`). */
export interface ActivationTiming {
  /** Evaluating the bundle's modules (from the first to extension.ts's own body). */
  loadMs: number;
  /** From then until VS Code called activate() (it prepares the extension's context meanwhile). */
  waitMs: number;
  /** activate() from entry to return. */
  activateMs: number;
  /** CPU time of the extension host process while the modules were evaluated, and during activate(). */
  loadCpuMs: number;
  activateCpuMs: number;
}
