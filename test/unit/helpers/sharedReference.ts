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

/**
 * In a mocha hook or test: the path of `relative` under ../shared, or skips (the whole suite from
 * a `before` hook) after printing the reason once per run.
 */
export function requireShared(ctx: Mocha.Context, relative: string): string {
  const found = sharedPath(relative);
  if ('path' in found) return found.path;
  if (!told.has(found.skip)) {
    told.add(found.skip);
    console.log(`      ${found.skip}`);
  }
  return ctx.skip();
}
