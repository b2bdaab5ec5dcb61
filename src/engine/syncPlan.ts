// Brings the store in line with the plan before a pass: the project, its batches and items (a
// destination changed in the plan is taken over; rows of removed items stay for the reports).
import type { Plan } from '../plan/model';
import { ensureProjectOf } from './projectIdentity';
import type { Store } from '../store/store';

/** Returns the project id. */
export function syncPlanToStore(store: Store, plan: Plan): number {
  return store.tx(() => {
    const projectId = ensureProjectOf(store, plan.file, plan.project.name);
    for (const batch of plan.batches) {
      const row = store.batches.ensureBatch(projectId, batch.name);
      for (const item of batch.items) {
        if (item.resolvedDestination) store.items.ensureItem(row.id, item.source, item.resolvedDestination);
      }
    }
    return projectId;
  });
}
