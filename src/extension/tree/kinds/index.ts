// Every kind of node of the Projects view and the object that renders it and lists its children.
import type { NodeKind } from '../../../views/capabilities';
import { batchesKind, batchKind, moreKind } from './batchKinds';
import { endpointKind, endpointsKind } from './endpointKinds';
import { errorKind, folderKind, itemKind } from './itemKinds';
import type { NodeKindView } from './nodeKind';
import { passesKind, passKind } from './passKinds';
import { projectKind } from './projectKind';

export const nodeKinds: Record<NodeKind, NodeKindView> = {
  project: projectKind,
  endpoints: endpointsKind,
  endpoint: endpointKind,
  batches: batchesKind,
  batch: batchKind,
  more: moreKind,
  item: itemKind,
  folder: folderKind,
  error: errorKind,
  passes: passesKind,
  pass: passKind,
};
