// Google's partial responses (`fields=`, https://developers.google.com/gmail/api/guides/performance#partial):
// a comma-separated list of members, `a/b` for a member of a member, `a(b,c)` for members of
// each element of `a`. Unknown names select nothing; a malformed selector is Google's 400.

type Selector = Map<string, Selector | true>;

export function parseFields(text: string): Selector | undefined {
  let i = 0;
  const list = (): Selector | undefined => {
    const sel: Selector = new Map();
    for (;;) {
      const m = /^[A-Za-z_*][A-Za-z0-9_*]*(\/[A-Za-z_*][A-Za-z0-9_*]*)*/.exec(text.slice(i));
      if (!m) return undefined;
      i += m[0].length;
      let leaf: Selector | true = true;
      if (text[i] === '(') {
        i++;
        const inner = list();
        if (!inner || text[i] !== ')') return undefined;
        i++;
        leaf = inner;
      }
      const path = m[0].split('/');
      let at = sel;
      for (const [k, name] of path.entries()) {
        if (k === path.length - 1) {
          at.set(name, leaf);
          break;
        }
        const next = at.get(name);
        const child = next instanceof Map ? next : new Map<string, Selector | true>();
        at.set(name, child);
        at = child;
      }
      if (text[i] !== ',') return sel;
      i++;
    }
  };
  const sel = list();
  return sel && i === text.replace(/\s+$/, '').length ? sel : undefined;
}

export function applyFields(value: unknown, sel: Selector): unknown {
  if (Array.isArray(value)) return value.map((v) => applyFields(v, sel));
  if (typeof value !== 'object' || value === null) return value;
  if (sel.has('*')) return value;
  const out: Record<string, unknown> = {};
  for (const [name, inner] of sel) {
    const v = (value as Record<string, unknown>)[name];
    if (v === undefined) continue;
    out[name] = inner === true ? v : applyFields(v, inner);
  }
  return out;
}
