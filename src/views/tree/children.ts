// The children of each kind of node, from the project's view: one entry per kind that has
// children (kinds without one have none). Pure, no vscode (the outline benchmark runs it in plain
// Node). Batches page their mailboxes (a batch of 10,000 opens with the first page and "Load more").
import type { NodeKind } from '../capabilities';
import { itemKey } from '../liveState';
import type { ProjectView } from '../projectView';
import { errorNodes, errorsOf } from './nodeErrors';
import { batchOf, type FerryNode, type NodeCache } from './nodes';

export { errorsOf, type PlacedError } from './nodeErrors';

/** Mailboxes per page of a batch. */
export const pageSize = 200;

type ChildrenOf = (node: FerryNode, view: ProjectView, cache: NodeCache, shown: (batchNode: FerryNode) => number) => FerryNode[];

const childLists: Partial<Record<NodeKind, ChildrenOf>> = {
  project: (node, view, cache) => {
    const plan = node.planFile;
    return [cache.node('endpoints', plan, node), cache.node('batches', plan, node), ...(view.passes.length ? [cache.node('passes', plan, node)] : [])];
  },
  item: (node, view, cache) => {
    const plan = node.planFile;
    const item = view.items.get(itemKey(node.ref.batch!, node.ref.item!));
    if (!item) return [];
    const folders = item.folders.map((f) => cache.node('folder', plan, node, { ...node.ref, folder: f.path }, f.id));
    return [...folders, ...errorNodes(node, errorsOf(node, view), cache)];
  },
  folder: (node, view, cache) => {
    return errorNodes(node, errorsOf(node, view), cache);
  },
  batches: (node, view, cache) => {
    const plan = node.planFile;
    // A name used twice (a plan error) still gives each batch its own node.
    return view.batches.map((b, i) => cache.node('batch', plan, node, { batch: b.name, batchIndex: i }, view.batches.findIndex((x) => x.name === b.name) === i ? b.name : `${b.name}#${i + 1}`));
  },
  batch: (node, view, cache, shown) => {
    const plan = node.planFile;
    const batch = batchOf(node.ref, view.batches);
    if (!batch) return [];
    const limit = shown(node);
    const page = batch.items.slice(0, limit).map((i) => cache.node('item', plan, node, { batch: batch.name, item: i.source }, i.source));
    return batch.items.length > limit ? [...page, cache.node('more', plan, node, { batch: batch.name, batchIndex: node.ref.batchIndex })] : page;
  },
  passes: (node, view, cache) => {
    const plan = node.planFile;
    return view.passes.map((p) => cache.node('pass', plan, node, { passId: p.id }, String(p.id)));
  },
  endpoints: (node, view, cache) => {
    const plan = node.planFile;
    return (view.outline?.endpoints ?? []).map((e) => cache.node('endpoint', plan, node, { endpoint: e.name }, e.name));
  },
  endpoint: (node, view, cache) => {
    return errorNodes(node, errorsOf(node, view), cache);
  },
};

export function childrenOf(node: FerryNode, view: ProjectView, cache: NodeCache, shown: (batchNode: FerryNode) => number): FerryNode[] {
  return childLists[node.kind]?.(node, view, cache, shown) ?? [];
}
