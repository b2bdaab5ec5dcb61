// Where a plan's state lives: `.ferry/` beside the plan (links resolved: a plan reached through a
// symlink keeps the state beside the file itself) unless the operator names a folder.
import * as fs from 'node:fs';
import * as path from 'node:path';

/** A plan file's path with links resolved (made absolute, as given, when it does not exist). */
export function canonicalPlanFile(file: string): string {
  const absolute = path.resolve(file);
  try {
    return fs.realpathSync.native(absolute);
  } catch {
    return absolute;
  }
}

export const defaultStateFolder = '.ferry';

/** The state folder for a plan file; `override` (relative to cwd) wins. */
export function stateDirFor(planFile: string | undefined, override: string | undefined, cwd: string): string {
  if (override) return path.resolve(cwd, override);
  const base = planFile ? path.dirname(canonicalPlanFile(path.resolve(cwd, planFile))) : cwd;
  return path.join(base, defaultStateFolder);
}
