// A key the schema refuses where it stands but knows one level in or out: almost always an
// indentation slip (`maxConnections` typed at the level of the endpoints instead of inside one).
// Said in plain words at the key (PLAN-054) instead of the schema's oneOf/additionalProperties
// noise, with where it belongs; the quick fix reindents it (fixes/indentFixes.ts).
import { isMap, isPair, isScalar, type YAMLMap } from 'yaml';
import type { ErrorObject } from 'ajv';
import { propertiesOf, schemasAt, type ValueAt } from './completion/schemaNavigator';
import { pointerToPath, type PathSegment, type PlanYaml } from './yamlDocument';

export interface MisplacedKey {
  /** The key's path where it stands now. */
  path: PathSegment[];
  key: string;
  /** The map the key belongs in: the previous sibling's value (indent) or the grandparent (outdent). */
  target: PathSegment[];
  direction: 'in' | 'out';
}

const describePlace = (path: readonly PathSegment[]) => (path.length ? `'${path.join('.')}'` : 'the top level of the project');

/** The message argument saying where the key stands and where it belongs. */
export function misplacedWording(m: MisplacedKey): [string, string, string] {
  const here = describePlace(m.path.slice(0, -1));
  const move = m.direction === 'in' ? `indent it under '${String(m.target[m.target.length - 1])}'` : `move it out to ${describePlace(m.target)}`;
  return [m.key, here, move];
}

function previousSibling(map: YAMLMap, key: string): string | undefined {
  let previous: string | undefined;
  for (const pair of map.items) {
    if (!isPair(pair) || !isScalar(pair.key)) continue;
    if (String(pair.key.value) === key) return previous;
    previous = String(pair.key.value);
  }
  return undefined;
}

const knows = (path: readonly PathSegment[], key: string, valueAt: ValueAt) => propertiesOf(schemasAt(path, valueAt)).some((p) => p.name === key);

function misplaced(path: PathSegment[], yaml: PlanYaml, valueAt: ValueAt): MisplacedKey | undefined {
  const key = path[path.length - 1];
  if (typeof key !== 'string') return undefined;
  const parentPath = path.slice(0, -1);
  const parent = yaml.nodeAt(parentPath);
  if (!isMap(parent)) return undefined;
  const sibling = previousSibling(parent, key);
  if (sibling !== undefined) {
    const siblingPath = [...parentPath, sibling];
    const value = yaml.nodeAt(siblingPath);
    const open = value === undefined || (isScalar(value) && value.value === null) || (isMap(value) && !value.flow);
    if (open && !(isMap(value) && value.has(key)) && knows(siblingPath, key, valueAt)) return { path, key, target: siblingPath, direction: 'in' };
  }
  if (parentPath.length && typeof parentPath[parentPath.length - 1] === 'string') {
    const grand = parentPath.slice(0, -1);
    const grandNode = yaml.nodeAt(grand);
    if (isMap(grandNode) && !grandNode.has(key) && knows(grand, key, valueAt)) return { path, key, target: grand, direction: 'out' };
  }
  return undefined;
}

/** Keys the schema errors show to be misplaced: unknown properties, and names of a map of objects holding a scalar. */
export function misplacedKeys(errors: readonly ErrorObject[], yaml: PlanYaml, valueAt: ValueAt): MisplacedKey[] {
  const found = new Map<string, MisplacedKey>();
  for (const e of errors) {
    const at = pointerToPath(e.instancePath);
    const path = e.keyword === 'additionalProperties' ? [...at, String(e.params.additionalProperty)] : e.keyword === 'type' && e.params.type === 'object' ? at : undefined;
    if (!path || found.has(path.join('\u0000'))) continue;
    const m = misplaced(path, yaml, valueAt);
    if (m) found.set(path.join('\u0000'), m);
  }
  return [...found.values()];
}

/** Whether an error is about a misplaced key or what lies under it (said once by PLAN-054). */
export function explainedBy(misplacedPaths: readonly MisplacedKey[], e: ErrorObject): boolean {
  const at = pointerToPath(e.instancePath);
  const path = e.keyword === 'additionalProperties' ? [...at, String(e.params.additionalProperty)] : at;
  return misplacedPaths.some((m) => m.path.length <= path.length && m.path.every((s, i) => String(s) === String(path[i])));
}
