// The schedule of a batch from the Projects view or the palette: run its next action now, pause
// or resume its schedule, skip its next run. They run the command line's own `ferry schedule`
// (which writes the state folder; `ferry serve` reads it at its next look), so both agree.
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { ProjectRegistry } from '../state/projectRegistry';
import type { StoreReader } from '../state/storeReader';
import { resolveTarget } from './targets';

const titles = { now: 'Ferry: Run Scheduled Action Now', pause: 'Ferry: Pause Schedule', resume: 'Ferry: Resume Schedule', skip: 'Ferry: Skip Next Scheduled Run' } as const;

export function scheduleAction(registry: ProjectRegistry, reader: StoreReader, verb: keyof typeof titles) {
  return async (arg?: unknown): Promise<{ ok: boolean; message: string } | undefined> => {
    const target = await resolveTarget(arg, registry, { title: titles[verb], batch: 'required' });
    if (!target?.batch) return undefined;
    const r = await reader.cli(['schedule', target.planFile, verb, target.batch], path.dirname(target.planFile));
    const message = (r.code === 0 ? r.stdout : r.stderr).trim().replace(/^ferry: /, '');
    if (r.code === 0) void vscode.window.showInformationMessage(`Ferry: ${message}`);
    else void vscode.window.showErrorMessage(`Ferry: ${message}`);
    registry.refreshStore(target.planFile);
    return { ok: r.code === 0, message };
  };
}
