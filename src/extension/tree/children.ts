// The children of each kind of node, from the project's view. Batches page their mailboxes
// (a batch of 10,000 opens with the first page and a "Load more" node).
import type { Range } from '../../plan/diagnostic';
import { itemKey, type RunError } from '../model/liveState';
import type { ProjectView } from '../model/projectView';
import { runFindings } from '../model/runFindings';
import type { FerryNode, NodeCache } from './nodes';

export const pageSize = 200;
const maxErrorNodes = 50;

export interface PlacedError {
  error: RunError;
  /** Where the plan (or its CSV file) names what failed. */
  file: string;
  range?: Range;
}

export function childrenOf(node: FerryNode, view: ProjectView, cache: NodeCache, shown: (batchNode: FerryNode) => number): FerryNode[] {
  const plan = node.planFile;
  switch (node.kind) {
    case 'project':
      return [cache.node('endpoints', plan, node), cache.node('batches', plan, node), ...(view.passes.length ? [cache.node('passes', plan, node)] : [])];
    case 'endpoints':
      return (view.outline?.endpoints ?? []).map((e) => cache.node('endpoint', plan, node, { endpoint: e.name }, e.name));
    case 'batches':
      return view.batches.map((b) => cache.node('batch', plan, node, { batch: b.name }, b.name));
    case 'batch': {
      const batch = view.batches.find((b) => b.name === node.ref.batch);
      if (!batch) return [];
      const limit = shown(node);
      const page = batch.items.slice(0, limit).map((i) => cache.node('item', plan, node, { batch: batch.name, item: i.source }, i.source));
      return batch.items.length > limit ? [...page, cache.node('more', plan, node, { batch: batch.name })] : page;
    }
    case 'item': {
      const item = view.items.get(itemKey(node.ref.batch!, node.ref.item!));
      if (!item) return [];
      const folders = item.folders.map((f) => cache.node('folder', plan, node, { ...node.ref, folder: f.path }, f.id));
      return [...folders, ...errorNodes(node, errorsOf(node, view), cache)];
    }
    case 'folder':
    case 'endpoint':
      return errorNodes(node, errorsOf(node, view), cache);
    case 'passes':
      return view.passes.map((p) => cache.node('pass', plan, node, { passId: p.id }, String(p.id)));
    default:
      return [];
  }
}

function errorNodes(parent: FerryNode, errors: readonly PlacedError[], cache: NodeCache): FerryNode[] {
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
