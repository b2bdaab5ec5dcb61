// The data of a migration report: batch and mailbox statistics like the Exchange dashboard, and
// errors grouped by catalog code with the catalog's title and action.
import { findProjectOf } from './projectIdentity';
import { getEntry } from '../errors/catalog';
import type { Store } from '../store/store';
import { changesOf, type ChangesSection } from './changesReport';
import { projectStatistics, type BatchStatistics, type ItemStatistics } from './statistics';

export interface ErrorGroup {
  code: string;
  title: string;
  action: string;
  count: number;
  mailboxes: string[];
  examples: { mailbox: string; folder?: string; message: string; subject?: string; at: string }[];
}

export interface MigrationReport {
  project: string;
  planFile: string;
  generatedAt: string;
  batches: { batch: BatchStatistics; items: ItemStatistics[] }[];
  totals: { mailboxes: number; synced: number; finalized: number; failed: number; items: number; bytes: number; skipped: number; errors: number };
  errors: ErrorGroup[];
  /** What delta passes carried or left for items already copied, by kind. */
  changes: ChangesSection;
}

const EXAMPLES_PER_CODE = 5;

/** The report of a plan's project; undefined when the store has never seen it. */
export function buildReport(store: Store, planFile: string, now = new Date()): MigrationReport | undefined {
  const id = findProjectOf(store, planFile);
  const project = store.batches.listProjects().find((p) => p.id === id);
  if (!project) return undefined;
  const batches = projectStatistics(store, project.id, true);
  const itemRows = store.batches.listBatches(project.id).flatMap((b) => store.items.listItems(b.id));
  const groups = new Map<string, ErrorGroup>();
  for (const e of store.errors.forItems(itemRows.map((i) => i.id))) {
    const mailbox = itemRows.find((i) => i.id === e.itemId)?.source ?? String(e.itemId);
    const entry = getEntry(e.code);
    const g = groups.get(e.code) ?? { code: e.code, title: entry?.title ?? e.code, action: entry?.action ?? '', count: 0, mailboxes: [], examples: [] };
    g.count++;
    if (!g.mailboxes.includes(mailbox)) g.mailboxes.push(mailbox);
    if (g.examples.length < EXAMPLES_PER_CODE) g.examples.push({ mailbox, folder: e.folderPath, message: e.message, subject: e.subject, at: e.createdAt });
    groups.set(e.code, g);
  }
  const all = batches.flatMap((b) => b.items);
  return {
    project: project.name,
    planFile: project.planFile,
    generatedAt: now.toISOString(),
    batches,
    totals: {
      mailboxes: all.length,
      synced: batches.reduce((s, b) => s + b.batch.synced, 0),
      finalized: batches.reduce((s, b) => s + b.batch.finalized, 0),
      failed: batches.reduce((s, b) => s + b.batch.failed, 0),
      items: all.reduce((s, i) => s + i.items, 0),
      bytes: all.reduce((s, i) => s + i.bytes, 0),
      skipped: all.reduce((s, i) => s + Object.values(i.skipped).reduce((a, b) => a + b, 0), 0),
      errors: all.reduce((s, i) => s + i.errors, 0),
    },
    errors: [...groups.values()].sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    changes: changesOf(store, itemRows),
  };
}
