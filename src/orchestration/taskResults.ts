// What a crossTenantMigrationTask (one user of a job) means for the item of the batch: its status
// and the errors the services reported, each with its catalog code (CTM-, EXCH-, CTTM-, MMS-, TMS-,
// IM-, MIGR-). The service's message picks the entry when it matches one (that tells a Teams
// meeting IM-003 from the general one, and names identity mapping errors that carry no code);
// otherwise the code does.
import { findSeedEntry, getEntry, matchMessage } from '../errors/catalog';
import type { ItemStatus } from '../engine/statuses';
import type { MigrationTask } from './crossTenantClient';

export interface TaskError {
  /** Catalog code (or the service's code when the catalog has none). */
  code: string;
  /** The service's message, as sent. */
  message: string;
  /** Workload that reported it ('Exchange', 'Teams', ...). */
  service?: string;
}

export interface TaskOutcome {
  status: ItemStatus;
  errors: TaskError[];
}

/** The catalog code of a service error. */
export function catalogCode(code: string | undefined, message: string | undefined): string {
  const matched = message ? matchMessage(message) : undefined;
  if (matched && (!code || matched.entry.code === code || matched.entry.seedCode === code || matched.entry.code.endsWith(`-${code}`))) return matched.entry.code;
  if (code) return (getEntry(code) ?? findSeedEntry(code))?.code ?? code;
  return matched?.entry.code ?? 'MIGR-003';
}

export function taskErrors(task: MigrationTask): TaskError[] {
  return (task.currentStatus ?? []).flatMap((s) =>
    (s.errors ?? []).map((e) => ({ code: catalogCode(e.code, e.message), message: e.message ?? e.code ?? '', ...(s.service ? { service: s.service } : {}) })),
  );
}

/**
 * The item status of a user once the job is over. `phase` says what ran: validation only (a
 * verify pass) or the migration.
 */
export function taskOutcome(task: MigrationTask | undefined, phase: 'validate' | 'migrate'): TaskOutcome {
  if (!task) return { status: 'Failed', errors: [] };
  const statuses = (task.currentStatus ?? []).map((s) => s.status ?? 'notStarted');
  const errors = taskErrors(task);
  const any = (...names: string[]) => statuses.some((s) => names.includes(s));
  if (any('invalid')) return { status: 'NotValid', errors };
  if (any('failed', 'error')) return { status: 'Failed', errors };
  if (any('cancelled', 'pendingCancel')) return { status: 'Stopped', errors };
  if (phase === 'validate') return { status: any('valid', 'completed', 'synced') ? 'Completed' : 'Failed', errors };
  if (statuses.length && statuses.every((s) => s === 'completed' || s === 'forceComplete')) return { status: errors.length ? 'FinishedWithErrors' : 'Completed', errors };
  return { status: 'Failed', errors };
}
