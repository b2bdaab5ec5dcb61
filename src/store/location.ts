// Where a plan's state lives: `.ferry/` beside the plan unless the operator names a folder.
import * as path from 'node:path';

export const defaultStateFolder = '.ferry';

/** The state folder for a plan file; `override` (relative to cwd) wins. */
export function stateDirFor(planFile: string | undefined, override: string | undefined, cwd: string): string {
  if (override) return path.resolve(cwd, override);
  const base = planFile ? path.dirname(path.resolve(cwd, planFile)) : cwd;
  return path.join(base, defaultStateFolder);
}
