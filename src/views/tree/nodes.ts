// Tree nodes: small, stable objects (one per id, kept in a cache) so that VS Code can refresh one
// node, reveal one and keep expansion state across refreshes. What they show is rendered from the
// project's current view each time (render.ts).
import type { NodeKind } from '../capabilities';

export interface NodeRef {
  batch?: string;
  /** Position among the project's batches: tells apart two batches a plan gives one name. */
  batchIndex?: number;
  item?: string;
  endpoint?: string;
  folder?: string;
  /** Position of an error among its parent's errors. */
  error?: number;
  passId?: number;
}

export class FerryNode {
  constructor(
    readonly id: string,
    readonly kind: NodeKind,
    readonly planFile: string,
    readonly parent: FerryNode | undefined,
    readonly ref: NodeRef = {},
  ) {}
}

/** One node object per id: children lists are rebuilt, nodes are reused. */
export class NodeCache {
  private readonly nodes = new Map<string, FerryNode>();

  node(kind: NodeKind, planFile: string, parent: FerryNode | undefined, ref: NodeRef = {}, idPart = ''): FerryNode {
    const id = `${parent?.id ?? planFile}/${kind}${idPart ? `:${idPart}` : ''}`;
    let node = this.nodes.get(id);
    if (!node) {
      node = new FerryNode(id, kind, planFile, parent, ref);
      this.nodes.set(id, node);
    }
    return node;
  }

  project(planFile: string): FerryNode {
    return this.node('project', planFile, undefined);
  }

  get(id: string): FerryNode | undefined {
    return this.nodes.get(id);
  }

  /** The plan files that have nodes. */
  projects(): string[] {
    return [...new Set([...this.nodes.values()].map((n) => n.planFile))];
  }

  /** Forgets a project's nodes (the plan was deleted). */
  dropProject(planFile: string): void {
    for (const [id, node] of this.nodes) if (node.planFile === planFile) this.nodes.delete(id);
  }
}

/** The batch a node is about: by its position when that batch still has the node's name, else by name. */
export function batchOf<B extends { name: string }>(ref: NodeRef, batches: readonly B[]): B | undefined {
  const at = ref.batchIndex === undefined ? undefined : batches[ref.batchIndex];
  return at && at.name === ref.batch ? at : batches.find((b) => b.name === ref.batch);
}
