// IM-003 (no destination can be derived): add a domain rule to identityMapping, or give the item
// its own destination. The destination domain is guessed from the plan's other items.
import { isMap, isScalar, isSeq } from 'yaml';
import type { PathSegment, PlanYaml } from '../yamlDocument';
import { addToMap, appendToSeq, deleteEntry, type TextEdit } from './yamlEdits';
import { entryOf } from './locate';
import { str, type FixProvider, type PlanFix } from './fixTypes';

export const FALLBACK_DOMAIN = 'TODO.example';

const domainOf = (address: string) => (address.includes('@') ? address.slice(address.lastIndexOf('@') + 1).toLowerCase() : undefined);

function mostFrequent(values: string[]): string | undefined {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | undefined;
  for (const [v, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = v;
  return best;
}

/**
 * Where mail from `domain` probably goes: the destination domain of other items from that
 * domain, else of any item, else of the existing domain rules, else TODO.example.
 */
export function guessDestinationDomain(yaml: PlanYaml, domain: string): string {
  const pairs: [string, string][] = [];
  const batches = yaml.nodeAt(['batches']);
  if (isSeq(batches)) {
    for (const batch of batches.items) {
      const items = isMap(batch) ? batch.get('items') : undefined;
      if (!isSeq(items)) continue;
      for (const item of items.items) {
        if (!isMap(item)) continue;
        const source = item.get('source');
        const destination = item.get('destination');
        if (typeof source !== 'string' || typeof destination !== 'string') continue;
        const from = domainOf(source);
        const to = domainOf(destination);
        if (from && to) pairs.push([from, to]);
      }
    }
  }
  const rules = yaml.nodeAt(['identityMapping', 'domains']);
  const ruleTargets = isSeq(rules) ? rules.items.map((r) => (isMap(r) ? r.get('to') : undefined)).filter((t): t is string => typeof t === 'string') : [];
  const wanted = domain.toLowerCase();
  return (
    mostFrequent(pairs.filter(([from]) => from === wanted).map(([, to]) => to)) ??
    mostFrequent(pairs.map(([, to]) => to).filter((to) => to !== wanted)) ??
    mostFrequent(ruleTargets) ??
    FALLBACK_DOMAIN
  );
}

/** The edit that adds a domain rule, creating identityMapping (before `batches`) or its `domains` list as needed. */
export function addDomainRule(yaml: PlanYaml, rule: { from: string; to: string }): TextEdit | undefined {
  const mapping = yaml.pairAt(['identityMapping']);
  if (!mapping) return addToMap(yaml, [], { identityMapping: { domains: [rule] } }, 'batches');
  const domains = yaml.nodeAt(['identityMapping', 'domains']);
  if (isSeq(domains)) return appendToSeq(yaml, ['identityMapping', 'domains'], rule);
  if (domains === undefined || (isScalar(domains) && domains.value === null)) {
    const inMapping = isMap(mapping.value) ? yaml.pairAt(['identityMapping', 'domains']) : undefined;
    if (inMapping) return appendToSeq(yaml, ['identityMapping', 'domains'], rule);
    return addToMap(yaml, ['identityMapping'], { domains: [rule] });
  }
  return undefined;
}

function itemPath(path: readonly PathSegment[] | undefined): PathSegment[] | undefined {
  return path && path[0] === 'batches' && path[2] === 'items' && typeof path[3] === 'number' ? path.slice(0, 4) : undefined;
}

export const addIdentityRule: FixProvider = ({ yaml, diagnostic, path, inCsv }) => {
  // A CSV finding's edits would go to the CSV file; the rule belongs in the plan.
  if (inCsv) return [];
  const item = itemPath(path);
  const written = item ? yaml.nodeAt([...item, 'source']) : undefined;
  const source = str(diagnostic.data?.source) ?? (isScalar(written) ? String(written.value) : undefined);
  const domain = str(diagnostic.data?.domain) ?? (source ? domainOf(source) : undefined);
  if (!domain) return [];
  const to = guessDestinationDomain(yaml, domain);
  const fixes: PlanFix[] = [];
  const rule = addDomainRule(yaml, { from: domain, to });
  if (rule) fixes.push({ title: `Add the identity rule ${domain} → ${to}`, code: diagnostic.code, edits: [rule], isPreferred: to !== FALLBACK_DOMAIN });
  if (item && source && isMap(yaml.nodeAt(item))) {
    const destination = `${source.slice(0, source.lastIndexOf('@'))}@${to}`;
    const edit = addToMap(yaml, item, { destination });
    if (edit) fixes.push({ title: `Add destination: ${destination} to the item`, code: diagnostic.code, edits: [edit] });
  }
  return fixes;
};

export const removeDuplicateIdentityRule: FixProvider = ({ yaml, diagnostic, path }) => {
  if (!path || path[0] !== 'identityMapping' || (path[1] !== 'domains' && path[1] !== 'pairs') || typeof path[2] !== 'number') return [];
  const entry = entryOf(yaml, path.slice(0, 3));
  const edit = entry && deleteEntry(yaml, entry.collection, entry.index, entry.parentPath);
  return edit ? [{ title: 'Remove the duplicate identity rule', code: diagnostic.code, edits: [edit], isPreferred: true }] : [];
};
