// Errors grouped by catalog code: title, count, the mailboxes, what to do, examples, and the fix
// actions the catalog names (retry, admin command to copy, documentation, explanation).
import '@vscode-elements/elements/dist/vscode-collapsible/index.js';
import { button, h } from './dashboardDom';
import type { DashboardAction, ErrorGroupRow } from './dashboardProtocol';

export function errorGroups(groups: readonly ErrorGroupRow[], act: (a: DashboardAction) => void, expanded: (code: string) => boolean): HTMLElement {
  if (!groups.length) return h('p', { class: 'muted' }, 'No open errors.');
  return h('div', {}, ...groups.map((g) => {
    const mailboxes = g.mailboxes.slice(0, 20).map((m, i) => {
      const link = h('a', { href: '#', title: 'Show in the Ferry view' }, m.source);
      link.addEventListener('click', (e) => {
        e.preventDefault();
        act({ kind: 'revealItem', batch: m.batch, item: m.source });
      });
      return [i ? ', ' : '', link];
    }).flat();
    const body = h('div', { class: 'body' },
      h('div', {}, h('strong', {}, 'What to do: '), g.action),
      h('div', {}, h('strong', {}, 'Mailboxes: '), ...mailboxes, g.mailboxes.length > 20 ? ` and ${g.mailboxes.length - 20} more` : ''),
      h('ul', {}, ...g.examples.map((e) => h('li', {}, `${e.mailbox}${e.folder ? ` / ${e.folder}` : ''}: ${e.message}`))),
      h('div', { class: 'actions' }, ...g.fixes.map((f) => button(f.title, () => act(f.action ?? { kind: 'fix', code: g.code, index: f.index }), { secondary: f.index !== -1 && !f.action }))));
    return h('vscode-collapsible', { heading: `${g.code}: ${g.title}`, description: `${g.count} × · ${g.mailboxes.length} mailbox${g.mailboxes.length === 1 ? '' : 'es'}`, open: expanded(g.code), 'data-code': g.code }, body);
  }));
}
