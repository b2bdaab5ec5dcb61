// Where a finding points in the plan's YAML: a diagnostic's data.path matched against the
// document (names with dots survive), or the node its range starts at.
import { isMap, isNode, isSeq, type YAMLMap, type YAMLSeq } from 'yaml';
import type { PlanDiagnostic } from '../diagnostic';
import { keyText, type PathSegment, type PlanYaml } from '../yamlDocument';

export type Collection = YAMLMap<unknown, unknown> | YAMLSeq<unknown>;

/** Path segments of a diagnostic's `data.path` ("a.b.0.c"), matched against the document so names with dots survive. */
export function resolvePath(yaml: PlanYaml, dotted: string): PathSegment[] | undefined {
  const parts = dotted === '' ? [] : dotted.split('.');
  const out: PathSegment[] = [];
  let node: unknown = yaml.doc.contents;
  let i = 0;
  while (i < parts.length) {
    if (isSeq(node)) {
      const index = Number(parts[i]);
      if (!Number.isInteger(index)) return undefined;
      out.push(index);
      node = node.items[index];
      i++;
    } else if (isMap(node)) {
      let found = false;
      for (let j = parts.length; j > i; j--) {
        const key = parts.slice(i, j).join('.');
        const pair = node.items.find((p) => keyText(p.key) === key);
        if (pair) {
          out.push(key);
          node = pair.value;
          i = j;
          found = true;
          break;
        }
      }
      if (!found) return [...out, ...parts.slice(i).map((p) => (/^\d+$/.test(p) ? Number(p) : p))];
    } else {
      return [...out, ...parts.slice(i).map((p) => (/^\d+$/.test(p) ? Number(p) : p))];
    }
  }
  return out;
}

/** Every key or value starting exactly at an offset, outermost first (how findings without data.path are placed). */
export function pathsStartingAt(yaml: PlanYaml, offset: number): { path: PathSegment[]; on: 'key' | 'value' }[] {
  const found: { path: PathSegment[]; on: 'key' | 'value' }[] = [];
  const visit = (node: unknown, path: PathSegment[]) => {
    if (!isNode(node) || !node.range) return;
    if (node.range[0] === offset) found.push({ path, on: 'value' });
    if (node.range[0] > offset || node.range[2] < offset) return;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = keyText(pair.key);
        if (isNode(pair.key) && pair.key.range?.[0] === offset) found.push({ path: [...path, key], on: 'key' });
        visit(pair.value, [...path, key]);
      }
    } else if (isSeq(node)) node.items.forEach((item, i) => visit(item, [...path, i]));
  };
  visit(yaml.doc.contents, []);
  return found;
}

/** Where a diagnostic points in the document: its data.path, else the deepest node its range starts at. */
export function diagnosticPath(yaml: PlanYaml, diagnostic: PlanDiagnostic): PathSegment[] | undefined {
  if (typeof diagnostic.data?.path === 'string') return resolvePath(yaml, diagnostic.data.path);
  return pathsStartingAt(yaml, yaml.offset(diagnostic.range.start)).pop()?.path;
}

/** The collection holding the last segment of a path, with the index of that entry in it. */
export function entryOf(yaml: PlanYaml, path: readonly PathSegment[]): { collection: Collection; index: number; parentPath: PathSegment[] } | undefined {
  if (path.length === 0) return undefined;
  const parentPath = path.slice(0, -1);
  const parent = yaml.nodeAt(parentPath);
  const last = path[path.length - 1];
  if (isSeq(parent) && typeof last === 'number' && last < parent.items.length) return { collection: parent, index: last, parentPath };
  if (isMap(parent)) {
    const index = parent.items.findIndex((p) => keyText(p.key) === String(last));
    if (index >= 0) return { collection: parent, index, parentPath };
  }
  return undefined;
}
