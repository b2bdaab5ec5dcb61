// The few document facts completion needs beyond the cursor's surroundings (the endpoints defined,
// the batch names), read from the lines without a full parse.
import { parse } from 'yaml';
import type { PathSegment } from '../yamlDocument';
import { parseLine, scalarValue, type YamlLine } from './yamlLines';

export interface EndpointSummary {
  name: string;
  type?: string;
}

/** The blocks below a top-level key: the lines from the key to the next line at the root column. */
function topLevelBlock(lines: readonly string[], key: string): { header: YamlLine; from: number; to: number } | undefined {
  let rootCol: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = parseLine(lines[i]);
    if (line.blank) continue;
    rootCol ??= line.indent;
    if (line.indent !== rootCol || line.dashes.length || line.key?.text !== key) continue;
    let to = i + 1;
    while (to < lines.length) {
      const next = parseLine(lines[to]);
      if (!next.blank && next.indent <= rootCol && !(next.dashes.length && next.indent === rootCol)) break;
      to++;
    }
    return { header: line, from: i + 1, to };
  }
  return undefined;
}

/** Endpoint names (keys under `endpoints`) with their `type`, in document order. */
export function endpointsOf(lines: readonly string[]): EndpointSummary[] {
  const block = topLevelBlock(lines, 'endpoints');
  if (!block) return [];
  if (block.header.value) {
    try {
      const value = parse(block.header.value.text) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) {
        return Object.entries(value as Record<string, unknown>).map(([name, v]) => ({ name, type: (v as { type?: string } | null)?.type }));
      }
    } catch {
      // a half-typed flow map: no names to offer
    }
    return [];
  }
  const out: EndpointSummary[] = [];
  let nameCol: number | undefined;
  let fieldCol: number | undefined;
  for (let i = block.from; i < block.to; i++) {
    const line = parseLine(lines[i]);
    if (line.blank || !line.key) continue;
    nameCol ??= line.indent;
    if (line.indent === nameCol && !line.dashes.length) {
      out.push({ name: line.key.text });
      fieldCol = undefined;
      if (line.value?.text.startsWith('{')) {
        const type = (scalarValue(line.value.text) as { type?: unknown } | null)?.type;
        if (typeof type === 'string') out[out.length - 1].type = type;
      }
    } else if (line.indent > nameCol && out.length) {
      fieldCol ??= line.key.start;
      if (line.key.start === fieldCol && line.key.text === 'type' && line.value) out[out.length - 1].type = String(scalarValue(line.value.text));
    }
  }
  return out;
}

/** Whether a value at this path names an endpoint (top-level or batch `source`/`destination`). */
export function isEndpointReference(path: readonly PathSegment[]): 'source' | 'destination' | undefined {
  const last = path[path.length - 1];
  if (last !== 'source' && last !== 'destination') return undefined;
  if (path.length === 1) return last;
  if (path.length === 3 && path[0] === 'batches' && typeof path[1] === 'number') return last;
  return undefined;
}
