// Measures the parsed YAML before anything turns it into JavaScript: nesting depth and the number of
// values once aliases are expanded ("billion laughs" expands a few lines into billions), aliases that
// name no earlier anchor or the node they sit in, and duplicate keys (checked here with one set per
// map: the yaml library's own check compares each key with every earlier one, quadratic in keys).
// Iterative, so no shape of document can exhaust the stack.
import { isAlias, isMap, isPair, isScalar, isSeq, type Alias, type Document, type Node } from 'yaml';
import { planLimits } from './limits';
import { keyText } from './yamlValue';

export interface YamlProblem {
  code: 'PLAN-001' | 'PLAN-046' | 'PLAN-047';
  args: string[];
  /** Source offsets [start, end). */
  span: [number, number];
  data?: Record<string, unknown>;
}

interface Measure {
  height: number;
  values: number;
}

interface Frame {
  node: Node;
  children: Node[];
  next: number;
  depth: number;
  acc: Measure;
}

function childrenOf(node: Node): Node[] {
  if (isMap(node)) return node.items.flatMap((pair) => (isPair(pair) ? [pair.key, pair.value].filter((n): n is Node => n !== null && typeof n === 'object' && 'range' in (n as object)) : []));
  if (isSeq(node)) return node.items.filter((n): n is Node => n !== null && typeof n === 'object');
  return [];
}

const spanOf = (node: Node): [number, number] => [node.range?.[0] ?? 0, node.range?.[1] ?? 0];

export interface YamlBounds {
  /** Problems that make the document unsafe or wrong to convert; none means plainValue() is bounded. */
  problems: YamlProblem[];
  /** The node each alias stands for (the last anchor of its name before it). */
  aliasTargets: Map<Alias, Node>;
}

export function checkYamlBounds(doc: Document.Parsed, limits = planLimits): YamlBounds {
  const problems: YamlProblem[] = [];
  const aliasTargets = new Map<Alias, Node>();
  const root = doc.contents;
  if (!root) return { problems, aliasTargets };
  const anchors = new Map<string, Node>();
  const measured = new WeakMap<Node, Measure>();
  let aliases = 0;
  const stack: Frame[] = [];
  const enter = (node: Node, depth: number): Measure | undefined => {
    if (node.anchor) anchors.set(node.anchor, node);
    if (isAlias(node)) {
      aliases++;
      const target = anchors.get(node.source);
      const found = target ? measured.get(target) : undefined;
      if (!found) {
        const why = target ? 'is inside the node its anchor names, so it would contain itself' : 'names no anchor defined before it';
        problems.push({ code: 'PLAN-046', args: [`the alias *${node.source} ${why}`], span: spanOf(node), data: { alias: node.source } });
        return { height: 0, values: 1 };
      }
      aliasTargets.set(node, target as Node);
      return found;
    }
    const leaf = { height: 0, values: 1 };
    if (isScalar(node)) {
      measured.set(node, leaf);
      return leaf;
    }
    if (depth > limits.depth) {
      problems.push({ code: 'PLAN-047', args: [String(limits.depth)], span: [spanOf(node)[0], spanOf(node)[0] + 1] });
      return leaf;
    }
    if (isMap(node)) duplicateKeys(node, problems);
    stack.push({ node, children: childrenOf(node), next: 0, depth, acc: { height: 0, values: 1 } });
    return undefined;
  };
  const fold = (into: Measure, child: Measure) => {
    into.height = Math.max(into.height, child.height + 1);
    into.values += child.values;
  };
  enter(root, 1);
  while (stack.length && problems.length < 100) {
    const frame = stack[stack.length - 1];
    if (frame.next < frame.children.length) {
      const child = frame.children[frame.next++];
      const m = enter(child, frame.depth + 1);
      if (m) fold(frame.acc, m);
      continue;
    }
    stack.pop();
    measured.set(frame.node, frame.acc);
    const parent = stack[stack.length - 1];
    if (parent) fold(parent.acc, frame.acc);
    if (frame.depth + frame.acc.height > limits.depth) {
      if (!problems.some((p) => p.code === 'PLAN-047')) problems.push({ code: 'PLAN-047', args: [String(limits.depth)], span: [spanOf(frame.node)[0], spanOf(frame.node)[0] + 1] });
      break;
    }
    if (frame.acc.values > limits.expandedValues) {
      problems.push({ code: 'PLAN-046', args: [`with its aliases expanded the plan holds more than ${limits.expandedValues.toLocaleString('en-US')} values`], span: [spanOf(frame.node)[0], spanOf(frame.node)[0] + 1] });
      break;
    }
    if (aliases > limits.aliases) {
      problems.push({ code: 'PLAN-046', args: [`the plan uses more than ${limits.aliases.toLocaleString('en-US')} aliases`], span: spanOf(frame.node) });
      break;
    }
  }
  return { problems, aliasTargets };
}

function duplicateKeys(map: Node, problems: YamlProblem[]): void {
  if (!isMap(map)) return;
  const seen = new Set<string>();
  for (const pair of map.items) {
    if (!isScalar(pair.key)) continue;
    const key = keyText(pair.key);
    if (seen.has(key)) problems.push({ code: 'PLAN-001', args: ['Map keys must be unique'], span: spanOf(pair.key), data: { yamlCode: 'DUPLICATE_KEY' } });
    seen.add(key);
  }
}
