// Which mailboxes a pass runs, and why the others do not: from the plan, the --batch/--item scope
// and what the store remembers (batch states; for retry, the last pass and open errors).
import { formatMessage } from '../errors/catalog';
import type { Plan, PlanBatch, PlanItem } from '../plan/model';
import type { BatchRow, ItemRow } from '../store/rows';
import type { Store } from '../store/store';
import { isAllowed } from './batchActions';
import { EngineRefusal } from './refusal';
import type { ItemStatus, PassKind } from './statuses';
import { batchStatusLabel, itemStatusLabel } from './statusWords';

export interface SelectedItem {
  batch: PlanBatch;
  item: PlanItem;
  /** The stored row when the store has one (always after syncPlanToStore). */
  row?: ItemRow;
}

export interface ExcludedItem extends SelectedItem {
  code: string;
  message: string;
}

export interface Selection {
  selected: SelectedItem[];
  excluded: ExcludedItem[];
}

/** Statuses that mean the mailbox's last pass ran to its end. */
export const completedStatuses: readonly ItemStatus[] = ['Completed', 'FinishedWithErrors', 'Resynced'];

/**
 * Whether a retry pass runs for a mailbox: its last pass ran to its end (else ENG-001) and items of
 * it failed that can be read again (else ENG-002). The views offer Retry errors only then.
 */
export function retryRuns(status: ItemStatus | undefined, retryableErrors: number): boolean {
  return status !== undefined && completedStatuses.includes(status) && retryableErrors > 0;
}

const sameAddress = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

/** The plan's batches and items within the scope; unknown names are usage errors (ENG-052). */
/** The mailboxes a pass names: one address, or several (a selection in the views). */
export type ItemScope = string | readonly string[];

/** The scope as one line: the address, or the addresses joined with ", " (the pass's recorded scope). */
export const scopeText = (scope: ItemScope | undefined): string | undefined => (scope === undefined || typeof scope === 'string' ? scope : scope.join(', '));

export function scopeOf(plan: Plan, batchName?: string, itemAddress?: ItemScope): { batch: PlanBatch; item: PlanItem }[] {
  const batches = batchName === undefined ? plan.batches : plan.batches.filter((b) => b.name === batchName);
  if (batchName !== undefined && !batches.length) throw new EngineRefusal('ENG-052', ['Batch', batchName], 'usage');
  const pairs = batches.flatMap((batch) => batch.items.map((item) => ({ batch, item })));
  if (itemAddress === undefined) return pairs;
  const addresses = typeof itemAddress === 'string' ? [itemAddress] : itemAddress;
  const named = (item: PlanItem, a: string) => sameAddress(item.source, a) || sameAddress(item.resolvedDestination, a);
  const unknown = addresses.find((a) => !pairs.some(({ item }) => named(item, a)));
  if (unknown !== undefined || !addresses.length) throw new EngineRefusal('ENG-052', ['Mailbox', unknown ?? ''], 'usage');
  return pairs.filter(({ item }) => addresses.some((a) => named(item, a)));
}

export function selectItems(plan: Plan, store: Store | undefined, projectId: number | undefined, pass: PassKind, batchName?: string, itemAddress?: ItemScope): Selection {
  const selection: Selection = { selected: [], excluded: [] };
  const batchRows = new Map<string, BatchRow | undefined>();
  for (const { batch, item } of scopeOf(plan, batchName, itemAddress)) {
    if (!batchRows.has(batch.name)) batchRows.set(batch.name, projectId !== undefined ? store?.batches.getBatch(projectId, batch.name) : undefined);
    const batchRow = batchRows.get(batch.name);
    const row = batchRow ? store?.items.findItem(batchRow.id, item.source) : undefined;
    const exclude = (code: string, args: string[]) => selection.excluded.push({ batch, item, row, code, message: formatMessage(code, args) });
    if (!item.resolvedDestination) continue; // no destination: the plan validator reports it
    if (batchRow && !isAllowed(batchRow.status, 'start')) {
      exclude('ENG-040', ['start', batch.name, batchStatusLabel(batchRow.status)]);
      continue;
    }
    if (pass === 'retry') {
      if (!row || !completedStatuses.includes(row.status)) {
        exclude('ENG-001', [item.source, itemStatusLabel(row?.status, row?.finalized)]);
        continue;
      }
      if (!retryRuns(row.status, store!.errors.retryableCount(row.id))) {
        exclude('ENG-002', [item.source]);
        continue;
      }
    }
    selection.selected.push({ batch, item, row });
  }
  return selection;
}
