// The few document facts completion needs beyond the cursor's surroundings (the endpoints defined,
// the batch names), read from the lines without a full parse.
import { parse } from 'yaml';
import type { PathSegment } from '../yamlDocument';
import { parseLine, scalarValue, topLevelBlock } from './yamlLines';

export interface EndpointSummary {
  name: string;
  type?: string;
}

/** Endpoint names (keys under `endpoints`) with their `type`, in document order. */
export function endpointsOf(lines: readonly string[]): EndpointSummary[] {
  const block = topLevelBlock(lines, 'endpoints');
  if (!block) return [];
  const header = parseLine(lines[block.header]);
  if (header.value) {
    try {
      const value = parse(header.value.text) as unknown;
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
  for (let i = block.header + 1; i < block.to; i++) {
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
