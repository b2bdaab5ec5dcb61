// The counts of a project in the words every view uses (tree, status bar, progress notification,
// dashboard): one function of one published view, so the views cannot say different things. Pure.
import { passNames } from './passTitles';
import { count, dotted, duration } from './format';
import { mailboxProgress } from './passProgress';
import type { BatchView, ItemView, ProjectView } from './projectView';

/** "Full pass running" / "Stopping full pass" while this window runs a pass. */
export function passState(view: ProjectView): string | undefined {
  const p = view.pass;
  if (!p) return undefined;
  const name = p.kind ? passNames[p.kind] : 'Pass';
  return p.state === 'stopping' ? `Stopping ${name.toLowerCase()}` : `${name} running`;
}

/** "about 3 min left" (whole seconds, at least one). */
export const timeLeft = (etaMs: number | undefined): string | undefined => (etaMs === undefined ? undefined : `about ${duration(Math.max(1000, Math.round(etaMs / 1000) * 1000))} left`);

/** "3/8 done · 42% · about 3 min left" of a batch the running pass holds; undefined otherwise. */
export function batchProgressText(view: ProjectView, batch: BatchView): string | undefined {
  const p = batch.progress;
  if (!p || !view.pass) return undefined;
  const left = view.pass.state === 'running' && p.done < p.mailboxes ? timeLeft(p.etaMs) : undefined;
  return dotted(`${p.done}/${p.mailboxes} done`, `${p.percent}%`, left);
}

/** "42% · about 3 min left" of a mailbox while it copies; undefined otherwise. */
export function mailboxProgressText(view: ProjectView, i: ItemView): string | undefined {
  const copying = i.live && (i.status === 'InProgress' || i.status === 'ResyncStarted') ? mailboxProgress(i.live, view.at) : undefined;
  return copying && dotted(`${copying.percent}%`, timeLeft(copying.etaMs));
}

/** "12/20 done · 4,210 items copied · 42% · about 3 min left" or "2/3 synced · 1 failed · 1,204 items". */
export function countsText(view: ProjectView): string {
  const p = view.pass;
  if (p && p.mailboxes === 0) return 'starting';
  if (p) {
    const left = p.state === 'running' && p.done < p.mailboxes ? timeLeft(p.etaMs) : undefined;
    return dotted(`${p.done}/${p.mailboxes} done`, count(p.copied, 'item') + ' copied', `${p.percent}%`, left);
  }
  const t = view.totals;
  if (!view.snapshot?.status) return dotted(count(t.mailboxes, 'mailbox', 'mailboxes'), 'not run yet');
  return dotted(`${t.synced}/${t.mailboxes} synced`, t.failed > 0 && `${t.failed} failed`, count(t.items, 'item'));
}
