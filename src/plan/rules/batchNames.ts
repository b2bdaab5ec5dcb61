// duplicateDisplayNameJob: batch names are unique in a project (as migration batch display names are).
import type { Rule } from './ruleContext';

export const uniqueBatchNames: Rule = (ctx) => {
  const seen = new Map<string, number>();
  // Built once, and one suggestion per name: thousands of duplicates stay linear.
  let taken: Set<string> | undefined;
  const suggested = new Map<string, number>();
  const value = ctx.value as { batches?: unknown };
  if (!Array.isArray(value.batches)) return;
  value.batches.forEach((batch, index) => {
    const name = (batch as { name?: unknown } | null)?.name;
    if (typeof name !== 'string') return;
    const key = name.trim().toLowerCase();
    const first = seen.get(key);
    if (first === undefined) {
      seen.set(key, index);
      return;
    }
    taken ??= new Set(ctx.plan.batches.map((b) => b.name.trim().toLowerCase()));
    let n = suggested.get(key);
    if (n === undefined) {
      n = 2;
      while (taken.has(`${key} (${n})`)) n++;
      suggested.set(key, n);
    }
    ctx.report({
      code: 'duplicateDisplayNameJob',
      args: [name],
      path: ['batches', index, 'name'],
      data: { name, firstIndex: first, suggestion: `${name} (${n})` },
      related: [{ file: ctx.file, range: ctx.yaml.rangeFor(['batches', first, 'name']), message: `"${name}" is first used here` }],
    });
  });
};
