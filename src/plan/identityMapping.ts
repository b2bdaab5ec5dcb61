// Destination addresses derived from source addresses: explicit pairs first, then domain rules.
import type { IdentityMapping } from './model';

export function deriveDestination(source: string, mapping: IdentityMapping): string | undefined {
  const wanted = source.toLowerCase();
  const pair = mapping.pairs.find((p) => p.source.toLowerCase() === wanted);
  if (pair) return pair.destination;
  const at = source.lastIndexOf('@');
  if (at < 0) return undefined;
  const local = source.slice(0, at);
  const domain = source.slice(at + 1).toLowerCase();
  const rule = mapping.domains.find((d) => d.from.toLowerCase() === domain);
  if (!rule) return undefined;
  const derived = `${local}@${rule.to}`;
  return mapping.lowercase ? derived.toLowerCase() : derived;
}
