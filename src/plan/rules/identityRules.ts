// identityMapping: each source domain and each explicit source address is mapped once. The first
// rule wins, so a second one is at best dead text and at worst the mapping the author meant.
// PLAN-036 args: [identity, detail]   e.g. ['contoso.com', 'line 12 already maps it to fabrikam.com; the first rule wins']
//          data: {from | source, firstLine (1-based)}
import { at } from './located';
import type { Rule } from './ruleContext';

export const identityRules: Rule = (ctx) => {
  const domains = at(ctx.value, 'identityMapping', 'domains');
  if (Array.isArray(domains)) {
    const seen = new Map<string, { to: unknown; line: number }>();
    domains.forEach((rule, i) => {
      const from = at(rule, 'from');
      if (typeof from !== 'string' || !from) return;
      const key = from.toLowerCase();
      const first = seen.get(key);
      const path = ['identityMapping', 'domains', i, 'from'];
      if (!first) {
        seen.set(key, { to: at(rule, 'to'), line: ctx.yaml.rangeFor(path).start.line + 1 });
        return;
      }
      const same = typeof first.to === 'string' && String(at(rule, 'to')).toLowerCase() === first.to.toLowerCase();
      const detail = same ? `line ${first.line} already has the same rule` : `line ${first.line} already maps it to ${String(first.to)}; the first rule wins`;
      ctx.report({ code: 'PLAN-036', args: [from, detail], path, data: { from, firstLine: first.line } });
    });
  }
  const pairs = at(ctx.value, 'identityMapping', 'pairs');
  if (Array.isArray(pairs)) {
    const seen = new Map<string, { destination: string; line: number }>();
    pairs.forEach((pair, i) => {
      const source = at(pair, 'source');
      const destination = at(pair, 'destination');
      if (typeof source !== 'string' || typeof destination !== 'string') return;
      const key = source.toLowerCase();
      const path = ['identityMapping', 'pairs', i, 'source'];
      const first = seen.get(key);
      if (!first) {
        seen.set(key, { destination, line: ctx.yaml.rangeFor(path).start.line + 1 });
        return;
      }
      // The same pair twice is harmless repetition; two destinations for one source is a decision left unmade.
      if (first.destination.toLowerCase() === destination.toLowerCase()) return;
      ctx.report({
        code: 'PLAN-036',
        args: [source, `line ${first.line} already maps it to ${first.destination}; the first pair wins`],
        path,
        data: { source, firstLine: first.line },
      });
    });
  }
};
