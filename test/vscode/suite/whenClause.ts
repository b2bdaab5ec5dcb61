// Evaluates the manifest's `when` clauses the way VS Code does, for the subset Ferry uses
// (==, !=, =~ /regex/, !, &&, ||, bare keys), so the tests can tell which menu entries a node or a
// state enables without clicking through menus, and list the context keys each clause reads.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Context = Record<string, string | boolean | undefined>;

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

/** One comparison of a clause: `key`, `!key`, `key == value`, `key != value`, `key =~ /regex/flags`, `true`, `false`. */
interface Atom {
  negated: boolean;
  key?: string;
  op?: '==' | '!=' | '=~';
  value?: string;
  constant?: boolean;
}

function parseAtom(atom: string): Atom {
  const a = atom.trim();
  if (a.startsWith('!')) {
    const inner = parseAtom(a.slice(1));
    return { ...inner, negated: !inner.negated };
  }
  const regex = /^([\w.]+)\s*=~\s*(\/.*\/[a-z]*)$/.exec(a);
  if (regex) return { negated: false, key: regex[1], op: '=~', value: regex[2] };
  const eq = /^([\w.]+)\s*(==|!=)\s*(.+)$/.exec(a);
  if (eq) return { negated: false, key: eq[1], op: eq[2] as '==' | '!=', value: eq[3].trim() };
  if (a === 'true' || a === 'false') return { negated: false, constant: a === 'true' };
  return { negated: false, key: a };
}

function atomsOf(when: string): Atom[][] {
  return when.split('||').map((part) => part.split('&&').map(parseAtom));
}

function evalAtom(atom: Atom, ctx: Context): boolean {
  let result: boolean;
  if (atom.constant !== undefined) result = atom.constant;
  else if (atom.op === '=~') {
    const [, source, flags] = /^\/(.*)\/([a-z]*)$/.exec(atom.value!)!;
    result = new RegExp(source, flags).test(String(ctx[atom.key!] ?? ''));
  } else if (atom.op) {
    const value = String(ctx[atom.key!] ?? '');
    result = atom.op === '==' ? value === atom.value : value !== atom.value;
  } else result = !!ctx[atom.key!];
  return atom.negated ? !result : result;
}

export function evaluate(when: string | undefined, ctx: Context): boolean {
  if (!when) return true;
  return atomsOf(when).some((part) => part.every((atom) => evalAtom(atom, ctx)));
}

/** Every context key a clause reads, with the value it is compared to (`==`, `!=`) if any. */
export function keysOf(when: string): { key: string; value?: string }[] {
  return atomsOf(when)
    .flat()
    .filter((a): a is Atom & { key: string } => a.key !== undefined)
    .map((a) => (a.op === '==' || a.op === '!=' ? { key: a.key, value: a.value } : { key: a.key }));
}

export function menus(root: string, menu: string): MenuEntry[] {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { contributes: { menus: Record<string, MenuEntry[]> } };
  return manifest.contributes.menus[menu] ?? [];
}

/** The commands a menu shows in a context (inline or in the context menu). */
export function shown(root: string, menu: string, ctx: Context, inline?: boolean): string[] {
  return menus(root, menu)
    .filter((m) => inline === undefined || (m.group?.startsWith('inline') ?? false) === inline)
    .filter((m) => evaluate(m.when, ctx))
    .map((m) => m.command);
}
