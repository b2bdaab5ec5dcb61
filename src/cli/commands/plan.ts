// `ferry plan <file> [--pass P] [--batch NAME] [--item ADDRESS] [--state DIR] [--json]`: what the
// next pass would do, from the plan and the store, without connecting to anything.
import { EngineRefusal } from '../../engine/refusal';
import { defaultPreviewPass, previewPass } from '../../engine/passPreview';
import { passKinds, type PassKind } from '../../engine/statuses';
import { Store } from '../../store/store';
import { itemStatusLabel, table } from '../format';
import type { CliIo } from '../io';
import { loadPlanOrReport, stateDirOf } from '../planState';
import { ExitCode, UsageError } from '../usage';

export function planCommand(args: { file?: string; pass?: string; batch?: string; item?: string; state?: string; json: boolean }, io: CliIo): number {
  if (!args.file) throw new UsageError('plan needs a plan file');
  if (args.pass !== undefined && !(passKinds as readonly string[]).includes(args.pass)) throw new UsageError(`unknown --pass "${args.pass}" (${passKinds.join('|')})`);
  const plan = loadPlanOrReport(io, args.file, args.json);
  if (typeof plan === 'number') return plan;
  const stateDir = stateDirOf(io, args.file, args.state);
  const store = Store.exists(stateDir) ? Store.open(stateDir, { quick: true }) : undefined;
  try {
    const pass = (args.pass as PassKind | undefined) ?? defaultPreviewPass(plan, store);
    const preview = previewPass(plan, store, pass, args.batch, args.item);
    if (args.json) {
      io.out(JSON.stringify(preview, null, 2));
      return ExitCode.ok;
    }
    const running = preview.items.filter((i) => i.run).length;
    io.out(`Next ${pass} pass: ${running} of ${preview.items.length} mailbox${preview.items.length === 1 ? '' : 'es'} would run.`);
    const rows = [['', 'Batch', 'Mailbox', 'Destination', 'Status', 'Copied', 'Errors', 'What happens']];
    for (const i of preview.items) rows.push([i.run ? 'run' : 'skip', i.batch, i.source, i.destination ?? '-', itemStatusLabel(i.status), String(i.copied), String(i.openErrors), `${i.code ? `${i.code}: ` : ''}${i.reason}`]);
    for (const line of table(rows, [5, 6])) io.out(line);
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof EngineRefusal && err.kind === 'usage') throw new UsageError(`${err.code} ${err.message}`);
    throw err;
  } finally {
    store?.close();
  }
}
