// The run errors a node lists and their nodes: a mailbox's own (not those of its folders), a
// folder's, an endpoint's, each placed where the plan (or its CSV file) names what failed.
import type { Range } from '../../plan/diagnostic';
import { itemKey, type RunError } from '../liveState';
import type { ProjectView } from '../projectView';
import { runFindings } from '../runFindings';
import type { FerryNode, NodeCache } from './nodes';

const maxErrorNodes = 50;

export interface PlacedError {
  error: RunError;
  /** Where the plan (or its CSV file) names what failed. */
  file: string;
  range?: Range;
}

export function errorNodes(parent: FerryNode, errors: readonly PlacedError[], cache: NodeCache): FerryNode[] {
  return errors.slice(0, maxErrorNodes).map((_e, i) => cache.node('error', parent.planFile, parent, { ...parent.ref, error: i }, String(i)));
}

/** The errors a node lists: a mailbox's own (not those of its folders), a folder's, an endpoint's. */
export function errorsOf(node: FerryNode, view: ProjectView): PlacedError[] {
  if (node.kind === 'endpoint') {
    return runFindings(view)
      .filter((f) => f.target.kind === 'endpoint' && f.target.endpoint === node.ref.endpoint)
      .map((f) => ({ error: { code: f.code, message: f.message }, file: f.file, range: f.range }));
  }
  const item = node.ref.batch && node.ref.item ? view.items.get(itemKey(node.ref.batch, node.ref.item)) : undefined;
  if (!item) return [];
  const place = (error: RunError): PlacedError => ({ error, file: item.plan?.origin.file ?? view.planFile, range: item.plan?.origin.range ?? view.batches.find((b) => b.name === item.batch)?.plan?.nameRange });
  if (node.kind === 'folder') return item.errors.filter((e) => e.folder === node.ref.folder).map(place);
  const folders = new Set(item.folders.map((f) => f.path));
  const own = item.errors.filter((e) => !e.folder || !folders.has(e.folder));
  const last = item.lastError && !own.some((e) => e.code === item.lastError!.code && e.message === item.lastError!.message) ? [item.lastError] : [];
  return [...last, ...own].map(place);
}
