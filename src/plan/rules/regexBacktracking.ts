// Catastrophic backtracking in folder expressions (ReDoS). The engine tests each expression against
// every folder path with JavaScript's backtracking engine, which cannot be interrupted: a repeated
// group that itself repeats, (a+)+ or (\w+\s?)*, or whose alternatives overlap, (a|a)* or (a|ab)*,
// takes exponential time on a name that almost matches. Such shapes are found from the pattern's
// structure (no expression is ever run on a probe), so validation stays linear in the pattern.

interface Group {
  /** Some part inside repeats (a quantifier with a maximum above 1). */
  repeats: boolean;
  /** First literal character of each alternative ('' for an empty alternative, undefined when not literal). */
  firsts: (string | undefined)[];
  /** The current alternative has no atom yet. */
  fresh: boolean;
}

/** A repeating quantifier at `i` (`*`, `+`, `{n,}`, `{n,m}` with m > 1): its length, else 0. */
function repeatingQuantifier(source: string, i: number): number {
  const c = source[i];
  if (c === '*' || c === '+') return 1;
  if (c !== '{') return 0;
  const m = /^\{(\d+)(,(\d*))?\}/.exec(source.slice(i, i + 24));
  if (!m) return 0;
  const max = m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3]);
  return max > 1 ? m[0].length : 0;
}

/** Why the expression can backtrack exponentially, or undefined. */
export function backtrackingProblem(source: string): string | undefined {
  const stack: Group[] = [{ repeats: false, firsts: [], fresh: true }];
  let i = 0;
  let lastAtom: { group?: Group; start: number } | undefined;
  while (i < source.length) {
    const c = source[i];
    const top = stack[stack.length - 1];
    if (c === '\\') {
      lastAtom = { start: i };
      if (top.fresh) top.firsts.push(/[dwsDWSbBpPux0-9kc]/.test(source[i + 1] ?? '') ? undefined : source[i + 1]);
      top.fresh = false;
      i += 2;
      continue;
    }
    if (c === '[') {
      const end = classEnd(source, i);
      lastAtom = { start: i };
      if (top.fresh) top.firsts.push(undefined);
      top.fresh = false;
      i = end;
      continue;
    }
    if (c === '(') {
      const inner: Group = { repeats: false, firsts: [], fresh: true };
      stack.push(inner);
      i += groupOpening(source, i);
      continue;
    }
    if (c === ')' && stack.length > 1) {
      const closed = stack.pop() as Group;
      if (closed.fresh) closed.firsts.push('');
      const parent = stack[stack.length - 1];
      if (parent.fresh) parent.firsts.push(undefined);
      parent.fresh = false;
      parent.repeats ||= closed.repeats;
      lastAtom = { group: closed, start: i };
      i++;
      continue;
    }
    if (c === '|') {
      if (top.fresh) top.firsts.push('');
      top.fresh = true;
      i++;
      continue;
    }
    const q = repeatingQuantifier(source, i);
    if (q && lastAtom) {
      const group = lastAtom.group;
      if (group?.repeats) return 'repeats a group that itself repeats (nested quantifiers such as (a+)+), which can take exponential time';
      if (group && overlapping(group.firsts)) return 'repeats a group whose alternatives can match the same text (such as (a|ab)*), which can take exponential time';
      top.repeats = true;
      i += q;
      continue;
    }
    if (c !== '?' && c !== '^' && c !== '$') {
      if (top.fresh) top.firsts.push(c === '.' ? undefined : c);
      top.fresh = false;
      lastAtom = { start: i };
    }
    i++;
  }
  return undefined;
}

/** Length of a group's opening: `(`, `(?:`, `(?=`, `(?!`, `(?<=`, `(?<!` or `(?<name>`. */
function groupOpening(source: string, i: number): number {
  if (source[i + 1] !== '?') return 1;
  if (source[i + 2] !== '<') return 3;
  if (source[i + 3] === '=' || source[i + 3] === '!') return 4;
  const close = source.indexOf('>', i);
  return close === -1 ? 3 : close - i + 1;
}

function classEnd(source: string, start: number): number {
  let i = start + 1;
  if (source[i] === '^') i++;
  if (source[i] === ']') i++;
  while (i < source.length && source[i] !== ']') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

/** Two alternatives that can start the same way (or an empty one beside others). */
function overlapping(firsts: (string | undefined)[]): boolean {
  if (firsts.length < 2) return false;
  if (firsts.includes('')) return true;
  const literal = firsts.filter((f): f is string => f !== undefined);
  return new Set(literal).size !== literal.length;
}
