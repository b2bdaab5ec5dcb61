// Reference material from outside the project lives in ../shared beside the repository (the seeds,
// the official EWS schemas, the Graph metadata). CI has it; a fresh clone does not. Tests that read
// it take the path from here, or skip with one line saying why.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { repoRoot } from './repoRoot';

/** `../shared` beside the repository root. */
export function sharedDir(root = repoRoot()): string {
  return path.resolve(root, '..', 'shared');
}

/**
 * The absolute path of `relative` (a file or folder under ../shared, e.g. `seeds/004_x.txt`,
 * `reference/ews`), or the one-line reason why a test that needs it is skipped.
 */
export function sharedPath(relative: string, root = repoRoot()): { path: string } | { skip: string } {
  const full = path.join(sharedDir(root), relative);
  if (fs.existsSync(full)) return { path: full };
  const top = relative.split('/')[0];
  const why = fs.existsSync(sharedDir(root)) ? `../shared/${relative} absent` : `../shared/${top} absent (a fresh clone has no ../shared)`;
  return { skip: `skipped: ${why}` };
}

const told = new Set<string>();

/** Skips the test (the whole suite from a `before` hook), printing the one-line reason once per run. */
export function skipWith(ctx: Mocha.Context, reason: string): never {
  if (!told.has(reason)) {
    told.add(reason);
    console.log(`      ${reason}`);
  }
  return ctx.skip();
}

/** In a mocha hook or test: the path of `relative` under ../shared, or a skip saying why. */
export function requireShared(ctx: Mocha.Context, relative: string): string {
  const found = sharedPath(relative);
  return 'path' in found ? found.path : skipWith(ctx, found.skip);
}
