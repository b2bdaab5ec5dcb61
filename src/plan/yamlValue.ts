// The plan as plain JavaScript, from YAML nodes already measured by checkYamlBounds. An alias is the
// same object as its anchor's value (as the yaml library makes it), found through the targets the
// bounds check recorded: the library resolves each alias by scanning every anchor and alias before
// it, which makes a plan of many aliases quadratic. Recursion is bounded by the depth limit.
import { isAlias, isMap, isNode, isPair, isScalar, isSeq, type Alias, type Node } from 'yaml';

/** A map key as text (a scalar's value, else the node as a string). */
export function keyText(key: unknown): string {
  if (isScalar(key)) return String(key.value);
  return String(key);
}

export function plainValue(root: Node | null | undefined, aliasTargets: ReadonlyMap<Alias, Node>): unknown {
  const done = new Map<Node, unknown>();
  const convert = (node: unknown): unknown => {
    if (!isNode(node)) return node ?? null;
    if (isAlias(node)) {
      const target = aliasTargets.get(node);
      return target ? convert(target) : null;
    }
    if (isScalar(node)) return node.value;
    if (done.has(node)) return done.get(node);
    if (isSeq(node)) {
      const list: unknown[] = [];
      done.set(node, list);
      for (const item of node.items) list.push(convert(item));
      return list;
    }
    if (isMap(node)) {
      const map: Record<string, unknown> = {};
      done.set(node, map);
      for (const pair of node.items) {
        if (!isPair(pair)) continue;
        const keyValue = convert(pair.key);
        const key = keyValue === null ? '' : typeof keyValue === 'object' ? JSON.stringify(keyValue) : String(keyValue);
        // Own property even for "__proto__", as the library does: a key must not reach the prototype.
        Object.defineProperty(map, key, { value: convert(pair.value), writable: true, enumerable: true, configurable: true });
      }
      return map;
    }
    return null;
  };
  return root === null || root === undefined ? null : convert(root);
}
