// Folder filters and mappings are JavaScript regular expressions, compiled by the engine with
// `new RegExp(pattern, 'u')` (engine/folderRules.ts): compile them the same way here, and check
// that each mapping's replacement only uses groups its expression has (String.prototype.replace
// leaves a `$3` that names no group in the folder name, literally). Expressions that can backtrack
// exponentially, or are overlong, are refused: the engine runs them on every folder name.
// PLAN-025 args: [pattern, reason]   e.g. ["(Inbox", "Invalid regular expression: /(Inbox/: Unterminated group"]
//          data: {pattern}
// PLAN-050 args: [pattern, reason]   e.g. ["(a+)+$", "repeats a group that itself repeats (...)"]  data: {pattern}
import { at } from './located';
import type { Rule, RuleContext } from './ruleContext';
import { backtrackingProblem } from './regexBacktracking';
import { planLimits } from '../limits';

export function compileFolderPattern(pattern: string): RegExp | string {
  try {
    return new RegExp(pattern, 'u');
  } catch (err) {
    return err instanceof Error ? err.message : String(err);
  }
}

/** Capture groups of a compiled expression: numbered count and group names. */
function groupsOf(re: RegExp): { count: number; names: string[] } {
  const match = new RegExp(`${re.source}|`, 'u').exec('') as RegExpExecArray;
  return { count: match.length - 1, names: Object.keys(match.groups ?? {}) };
}

/** Why a replacement cannot be filled from the expression's groups, or undefined when it can. */
export function replacementProblem(replacement: string, re: RegExp): string | undefined {
  const { count, names } = groupsOf(re);
  const groups = count === 1 ? '1 capture group' : `${count} capture groups`;
  for (let i = 0; i < replacement.length; i++) {
    if (replacement[i] !== '$') continue;
    const next = replacement[i + 1];
    if (next === '$' || next === '&' || next === '`' || next === "'") {
      i++;
      continue;
    }
    if (next === '<') {
      const end = replacement.indexOf('>', i);
      if (names.length === 0 || end === -1) continue; // literal "$<" in JavaScript
      const name = replacement.slice(i + 2, end);
      if (!names.includes(name)) return `the replacement uses $<${name}> but the expression has no group named "${name}"`;
      i = end;
      continue;
    }
    const two = /^\d\d/.test(replacement.slice(i + 1)) ? Number(replacement.slice(i + 1, i + 3)) : undefined;
    if (two !== undefined && two >= 1 && two <= count) {
      i += 2;
      continue;
    }
    if (next !== undefined && /\d/.test(next)) {
      const n = Number(next);
      if (n === 0) return 'the replacement uses $0, which JavaScript does not replace: use $& for the whole match';
      if (n > count) return `the replacement uses $${n} but the expression has ${groups}`;
      i++;
    }
  }
  return undefined;
}

function check(ctx: RuleContext, pattern: unknown, path: (string | number)[]): RegExp | undefined {
  if (typeof pattern !== 'string' || pattern.length === 0) return undefined;
  if (pattern.length > planLimits.patternLength) {
    ctx.report({ code: 'PLAN-050', args: [`${pattern.slice(0, 40)}…`, `is ${pattern.length.toLocaleString('en-US')} characters long; Ferry takes expressions of up to ${planLimits.patternLength.toLocaleString('en-US')}`], path, data: { pattern: pattern.slice(0, 40) } });
    return undefined;
  }
  const compiled = compileFolderPattern(pattern);
  if (typeof compiled === 'string') {
    ctx.report({ code: 'PLAN-025', args: [pattern, compiled], path, data: { pattern } });
    return undefined;
  }
  const slow = backtrackingProblem(pattern);
  if (slow) {
    ctx.report({ code: 'PLAN-050', args: [pattern, slow], path, data: { pattern } });
    return undefined;
  }
  return compiled;
}

export const folderPatterns: Rule = (ctx) => {
  const folders = at(ctx.value, 'options', 'folders');
  for (const list of ['include', 'exclude'] as const) {
    const patterns = at(folders, list);
    if (Array.isArray(patterns)) patterns.forEach((p, i) => check(ctx, p, ['options', 'folders', list, i]));
  }
  const map = at(folders, 'map');
  if (!Array.isArray(map)) return;
  map.forEach((rule, i) => {
    const from = at(rule, 'from');
    const re = check(ctx, from, ['options', 'folders', 'map', i, 'from']);
    const to = at(rule, 'to');
    if (!re || typeof to !== 'string') return;
    const problem = replacementProblem(to, re);
    if (problem) ctx.report({ code: 'PLAN-025', args: [from as string, problem], path: ['options', 'folders', 'map', i, 'to'], data: { pattern: from, replacement: to } });
  });
};
