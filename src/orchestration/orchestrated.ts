// Whether a batch goes to Microsoft's cross-tenant migration service (runOrchestrated.ts), in a
// module of its own: a pass without such a batch does not load the service's client (nor node:crypto).
import type { Plan } from '../plan/model';

export function isOrchestrated(plan: Plan, batch: string): boolean {
  return plan.batches.find((b) => b.name === batch)?.orchestrated === true;
}
