// Single-value extended properties on contacts and events (Ferry's watermark rides there): set in
// the creating POST, expanded with `$expand=singleValueExtendedProperties($filter=id eq '...')`,
// filtered with `singleValueExtendedProperties/any(ep: ep/id eq '...' and ep/value eq '...')`.
import { propKey } from './extendedProperties';

const ID = /^(Integer|String|SystemTime|Boolean|Long|Binary)\s+(0x[0-9a-fA-F]{4}|\{[0-9a-fA-F-]{36}\}\s+(Name\s+\S+|Id\s+0x[0-9a-fA-F]+))$/i;

export function applyPimProperties(props: Record<string, string>, list: unknown): string | undefined {
  if (list === undefined) return undefined;
  if (!Array.isArray(list)) return "'singleValueExtendedProperties' must be an array.";
  for (const entry of list as { id?: unknown; value?: unknown }[]) {
    if (typeof entry?.id !== 'string' || typeof entry.value !== 'string') return 'Each extended property needs a string id and value.';
    if (!ID.test(entry.id.trim())) return `The property id '${entry.id}' is not valid.`;
    props[propKey(entry.id)] = entry.value;
  }
  return undefined;
}

export function pimPropertiesJson(props: Record<string, string>, expand: string | null): { singleValueExtendedProperties?: { id: string; value: string }[] } {
  if (!expand || !/singleValueExtendedProperties/i.test(expand)) return {};
  const ids = [...expand.matchAll(/id eq '([^']+)'/gi)].map((m) => propKey(m[1]));
  return { singleValueExtendedProperties: Object.entries(props).filter(([k]) => ids.length === 0 || ids.includes(k)).map(([id, value]) => ({ id, value })) };
}

/** The matcher of a property filter, or undefined for a filter the fake (and Ferry) does not use. */
export function matchesPropertyFilter(filter: string): ((props: Record<string, string>) => boolean) | undefined {
  const m = /^singleValueExtendedProperties\/any\((\w+):\s*\1\/id eq '([^']+)' and \1\/value eq '((?:[^']|'')*)'\)$/i.exec(filter.trim());
  if (!m) return undefined;
  return (props) => props[propKey(m[2])] === m[3].replace(/''/g, "'");
}
