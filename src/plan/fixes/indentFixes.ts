// PLAN-054's quick fix: moves a misplaced key (with its value's lines) to the indentation of the
// map it belongs in, one level in (under the previous sibling) or out (to the grandparent).
import { isMap, isNode, isPair, isScalar } from 'yaml';
import type { FixProvider } from './fixTypes';
import { resolvePath } from './locate';
import type { TextEdit } from './fixTypes';
import type { PlanYaml } from '../yamlDocument';
import { documentStyle } from './yamlEdits';

const lineStart = (text: string, offset: number) => text.lastIndexOf('\n', offset - 1) + 1;
const indentOf = (text: string, start: number) => /^ */.exec(text.slice(start))?.[0].length ?? 0;

/** The column the target map's keys start at, or its key's column plus one indentation step when it is empty. */
function targetColumn(yaml: PlanYaml, target: (string | number)[], step: number): number | undefined {
  const node = yaml.nodeAt(target);
  if (isMap(node) && node.items.length) {
    const first = node.items[0];
    const start = isPair(first) && isNode(first.key) ? first.key.range?.[0] : undefined;
    return start === undefined ? undefined : start - lineStart(yaml.text, start);
  }
  const key = yaml.pairAt(target)?.key;
  const start = isNode(key) ? key.range?.[0] : undefined;
  return start === undefined ? undefined : start - lineStart(yaml.text, start) + step;
}

export const reindentKey: FixProvider = ({ yaml, diagnostic }) => {
  const data = diagnostic.data ?? {};
  const path = typeof data.path === 'string' ? resolvePath(yaml, data.path) : undefined;
  const target = typeof data.target === 'string' ? resolvePath(yaml, data.target) : undefined;
  const pair = path && yaml.pairAt(path);
  if (!path || !target || !pair || !isScalar(pair.key) || !pair.key.range) return [];
  const { text } = yaml;
  const keyStart = pair.key.range[0];
  const first = lineStart(text, keyStart);
  // Only a key that starts its line (not the first key of a `- ` entry or of a flow map).
  if (text.slice(first, keyStart).trim() !== '') return [];
  const column = targetColumn(yaml, target, documentStyle(yaml).indentUnit || 2);
  const current = keyStart - first;
  if (column === undefined || column === current) return [];
  const shift = column - current;
  // Moved out from the middle of its map, the key would take the entries after it along: only the last moves by indentation.
  const parent = yaml.nodeAt(path.slice(0, -1));
  if (shift < 0 && isMap(parent) && parent.items[parent.items.length - 1] !== pair) return [];
  const valueEnd = isNode(pair.value) && pair.value.range ? pair.value.range[1] : pair.key.range[2];
  let end = valueEnd;
  while (end > keyStart && /\s/.test(text[end - 1])) end--;
  const edits: TextEdit[] = [];
  for (let at = first; at <= end && at < text.length; ) {
    const width = indentOf(text, at);
    const next = text.indexOf('\n', at);
    const blank = text.slice(at, next === -1 ? text.length : next).trim() === '';
    if (!blank) edits.push({ range: yaml.range(at, at + width), newText: ' '.repeat(Math.max(0, width + shift)) });
    if (next === -1) break;
    at = next + 1;
  }
  const where = target.length ? `'${String(target[target.length - 1])}'` : 'the top level';
  return [{ title: shift > 0 ? `Indent '${String(pair.key.value)}' under ${where}` : `Move '${String(pair.key.value)}' out to ${where}`, code: diagnostic.code, edits, isPreferred: true }];
};
