// Evaluates the manifest's `when` clauses the way VS Code does, for the subset Ferry uses
// (==, !=, =~ /regex/, !, &&, ||, bare keys), so the tests can tell which menu entries a node or a
// state enables without clicking through menus.
import * as fs from 'node:fs';
import * as path from 'node:path';

export type Context = Record<string, string | boolean | undefined>;

interface MenuEntry {
  command: string;
  when?: string;
  group?: string;
}

function evalAtom(atom: string, ctx: Context): boolean {
  const a = atom.trim();
  if (a.startsWith('!')) return !evalAtom(a.slice(1), ctx);
  const regex = /^([\w.]+)\s*=~\s*\/(.*)\/([a-z]*)$/.exec(a);
  if (regex) return new RegExp(regex[2], regex[3]).test(String(ctx[regex[1]] ?? ''));
  const eq = /^([\w.]+)\s*(==|!=)\s*(.+)$/.exec(a);
  if (eq) {
    const value = String(ctx[eq[1]] ?? '');
    return eq[2] === '==' ? value === eq[3].trim() : value !== eq[3].trim();
  }
  if (a === 'true') return true;
  if (a === 'false') return false;
  return !!ctx[a];
}

export function evaluate(when: string | undefined, ctx: Context): boolean {
  if (!when) return true;
  return when.split('||').some((part) => part.split('&&').every((atom) => evalAtom(atom, ctx)));
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
