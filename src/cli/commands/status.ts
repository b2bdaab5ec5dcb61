// `ferry status [file] [--state DIR] [--json]`: batches and mailboxes as the store has them, the
// runner that owns the state folder (if any) and the latest passes. Reads only; takes no lock.
import * as path from 'node:path';
import { projectStatuses, type ProjectStatus } from '../../engine/projectStatus';
import { probeLock } from '../../store/lock';
import { Store } from '../../store/store';
import { batchStatusLabel, bytes, duration, itemStatusLabel, syncStateLabel, table, when } from '../format';
import type { CliIo } from '../io';
import { stateDirOf } from '../planState';
import { scheduleRows } from '../../scheduler/scheduleRows';
import type { ScheduleEntry } from '../../engine/schedule';
import { ExitCode } from '../usage';
import { distributedOf, withSharedStore } from '../distributed';
import { redactUrl } from '../../store/postgres/pgDatabase';

type ScheduleRow = ScheduleEntry;

export function statusCommand(args: { file?: string; state?: string; json: boolean }, io: CliIo): number {
  const shared = distributedOf(io);
  if (shared) {
    const projects = withSharedStore(shared, (store) => projectStatuses(store, args.file ? path.resolve(io.cwd, args.file) : undefined));
    if (args.json) {
      io.out(JSON.stringify({ state: redactUrl(shared.databaseUrl), distributed: true, projects }, null, 2));
      return ExitCode.ok;
    }
    io.out(`State: ${redactUrl(shared.databaseUrl)} (distributed: passes run on \`ferry worker\` processes)`);
    if (!projects.length) io.out(args.file ? 'No pass has run for this plan yet.' : 'No pass has run in this state database yet.');
    for (const p of projects) printProject(io, p);
    return ExitCode.ok;
  }
  const stateDir = stateDirOf(io, args.file, args.state);
  const lock = probeLock(stateDir);
  const runner = lock.holder;
  let projects: (ProjectStatus & { schedule?: ScheduleRow[] })[] = [];
  if (Store.exists(stateDir)) {
    const store = Store.open(stateDir, { quick: true });
    try {
      // Each batch's next scheduled action (ferry serve), computed from its plan and the store.
      projects = projectStatuses(store, args.file ? path.resolve(io.cwd, args.file) : undefined).map((p) => ({ ...p, schedule: scheduleRows(store, p.planFile, new Date()) }));
    } finally {
      store.close();
    }
  }
  if (args.json) {
    io.out(JSON.stringify({ stateDir, runner, projects }, null, 2));
    return ExitCode.ok;
  }
  io.out(`State: ${stateDir}`);
  io.out(runner ? `Runner: pid ${runner.pid} (${runner.owner}) since ${when(runner.startedAt)}` : lock.held ? 'Runner: one holds the state folder, not identified yet (ENG-071)' : 'Runner: none');
  if (!projects.length) {
    io.out(args.file ? 'No pass has run for this plan yet.' : 'No pass has run in this state folder yet.');
    return ExitCode.ok;
  }
  for (const p of projects) printProject(io, p);
  return ExitCode.ok;
}

function printProject(io: CliIo, p: ProjectStatus & { schedule?: ScheduleRow[] }): void {
  io.out('');
  io.out(`Project: ${p.name} (${path.relative(process.cwd(), p.planFile) || p.planFile})`);
  const rows = [['Batch', 'Status', 'Total', 'Synced', 'Finalized', 'Failed', 'Synced %', 'Started', 'Initial sync', 'Last sync']];
  for (const { batch: b } of p.batches) {
    rows.push([b.name, batchStatusLabel(b.status), String(b.total), String(b.synced), String(b.finalized), String(b.failed), `${b.percentSynced}%`, when(b.startedAt), b.initialSyncAt ? `${when(b.initialSyncAt)} (${duration(b.initialSyncDurationMs)})` : '-', b.lastSyncAt ? `${when(b.lastSyncAt)} (${duration(b.lastSyncDurationMs)})` : '-']);
  }
  for (const line of table(rows, [2, 3, 4, 5, 6])) io.out(`  ${line}`);
  const items = [['Batch', 'Mailbox', 'Destination', 'Status', 'Sync', 'Items', 'Size', 'Errors', 'Last error']];
  for (const { items: list } of p.batches) {
    for (const i of list) items.push([i.batch, i.source, i.destination, itemStatusLabel(i.status, i.finalized), syncStateLabel(i.syncState), String(i.items), bytes(i.bytes), String(i.errors), i.lastErrorCode ?? '']);
  }
  io.out('');
  for (const line of table(items, [5, 7])) io.out(`  ${line}`);
  if (p.schedule?.length) {
    io.out('');
    io.out('  Scheduled (ferry serve):');
    const rows = [['Batch', 'Next', 'When', 'State']];
    for (const a of p.schedule) rows.push([a.batch, a.action, when(a.dueAt), a.state]);
    for (const line of table(rows, [])) io.out(`    ${line}`);
    for (const a of p.schedule.filter((x) => x.code)) io.out(`    ${a.code} ${a.message}`);
  }
  if (p.passes.length) {
    io.out('');
    io.out('  Latest passes:');
    for (const pass of p.passes) io.out(`    #${pass.id} ${pass.kind} ${pass.status}${pass.errorCode ? ` (${pass.errorCode})` : ''}, ${when(pass.startedAt)} -> ${when(pass.endedAt)}${pass.scopeBatch ? `, batch ${pass.scopeBatch}` : ''}${pass.scopeItem ? `, item ${pass.scopeItem}` : ''}`);
  }
}
