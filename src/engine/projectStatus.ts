// What `ferry status` and the runner's status request show: per project its batches with their
// statistics and mailboxes, and the latest passes.
import type { PassRow } from '../store/rows';
import type { Store } from '../store/store';
import { findProjectOf } from './projectIdentity';
import { projectStatistics, type BatchStatistics, type ItemStatistics } from './statistics';

export interface ProjectStatus {
  planFile: string;
  name: string;
  batches: { batch: BatchStatistics; items: ItemStatistics[] }[];
  passes: PassRow[];
}

/** Every project in the store, or the one of a plan file. */
export function projectStatuses(store: Store, planFile?: string): ProjectStatus[] {
  const only = planFile === undefined ? undefined : findProjectOf(store, planFile);
  return store.batches
    .listProjects()
    .filter((p) => planFile === undefined || p.id === only)
    .map((p) => ({ planFile: p.planFile, name: p.name, batches: projectStatistics(store, p.id), passes: store.passes.lastPasses(p.id, 5) }));
}
