// Which project of a state folder a plan file is. A project is the plan's own identity (its
// `project.name`), not the path it was reached by: the same plan through a symlink, a renamed plan
// file or a folder moved or cloned elsewhere (its state folder with it) keeps its state, so a pass
// goes on from its watermarks instead of looking for every item at the destination again.
// Paths are compared after resolving links. A project recorded under another path is taken over
// only when that path no longer leads to a plan of the same name, so two plans side by side that
// share a name (a copy being edited) never share state. In the shared store of the distributed mode
// the name alone is the project: each machine has its own checkout, at a path of its own.
import * as fs from 'node:fs';
import { parse } from 'yaml';
import { readPlanFile } from '../plan/planFile';
import { canonicalPlanFile } from '../store/location';
import type { Store } from '../store/store';

/** The `project.name` a plan file declares, read without validating it; undefined when it has none. */
export function declaredProjectName(file: string): string | undefined {
  const read = readPlanFile(file, file);
  if ('diagnostic' in read) return undefined;
  try {
    const doc: unknown = parse(read.text, { maxAliasCount: 0, prettyErrors: false });
    const project = doc && typeof doc === 'object' ? (doc as { project?: unknown }).project : undefined;
    const name = project && typeof project === 'object' ? (project as { name?: unknown }).name : undefined;
    return typeof name === 'string' && name.trim() ? name : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a recorded plan path still stands for a plan of that name (then its project is not free). */
function stillThere(recorded: string, name: string): boolean {
  return fs.existsSync(recorded) && declaredProjectName(recorded) === name;
}

/**
 * The project of `planFile` in this store: recorded under its path (links resolved), else the one
 * project of the same name whose recorded plan is gone (renamed, moved, reached another way).
 * `name`: the plan's project name when the caller has it (otherwise read from the file).
 */
export function findProjectOf(store: Store, planFile: string, name?: string): number | undefined {
  const file = canonicalPlanFile(planFile);
  const projects = store.batches.listProjects();
  const exact = projects.find((p) => p.planFile === file || canonicalPlanFile(p.planFile) === file);
  if (exact) return exact.id;
  const declared = name ?? declaredProjectName(file);
  if (declared === undefined) return undefined;
  // A shared store (PostgreSQL) serves machines whose checkouts of the plan sit at different paths:
  // a path recorded by another machine says nothing here, so the project is the plan's name alone.
  if (store.db.dialect === 'postgres') return projects.find((p) => p.name === declared)?.id;
  const orphans = projects.filter((p) => p.name === declared && !stillThere(p.planFile, declared));
  return orphans.length === 1 ? orphans[0].id : undefined;
}

/** Advisory locks of project identities (the first key; the second is the name's hash). */
const projectLockClass = 0x46727931;

/**
 * The project of a plan for a pass: found as findProjectOf does (and recorded under its path now), or
 * created. Race-free: two processes opening the same new project at once make one. Finding and
 * creating are one transaction, serialised per identity: SQLite's write lock (BEGIN IMMEDIATE), and
 * in PostgreSQL a transaction-level advisory lock on the plan's name (its identity there), held
 * until the commit; the second process then finds the first one's project.
 */
export function ensureProjectOf(store: Store, planFile: string, name: string): number {
  return store.tx(() => {
    if (store.db.dialect === 'postgres') store.db.get('SELECT pg_advisory_xact_lock(?, hashtext(?)) AS locked', projectLockClass, name);
    const file = canonicalPlanFile(planFile);
    const found = findProjectOf(store, file, name);
    if (found === undefined) return store.batches.ensureProject(file, name);
    store.batches.renameProject(found, file, name);
    return found;
  });
}
