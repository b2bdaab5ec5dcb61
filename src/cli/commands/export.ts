// `ferry export <file> [--batch NAME] [--out DIR] [--delivery-domain DOMAIN]`: each batch as
// Exchange Online migration-batch input, for operators who run the move with Microsoft's own
// service: `<batch>.csv` (the EmailAddress column New-MigrationBatch reads) and `<batch>.ps1`
// (the New-MigrationBatch command) in DIR (default: the current folder).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { exportBatch } from '../../orchestration/migrationBatchExport';
import type { CliIo } from '../io';
import { loadPlanOrReport } from '../planState';
import { ExitCode, UsageError } from '../usage';

export function exportCommand(args: { file?: string; batch?: string; out?: string; deliveryDomain?: string }, io: CliIo): number {
  if (!args.file) throw new UsageError('export needs a plan file');
  const plan = loadPlanOrReport(io, args.file, false);
  if (typeof plan === 'number') return plan;
  const batches = args.batch === undefined ? plan.batches : plan.batches.filter((b) => b.name === args.batch);
  if (!batches.length) {
    io.err(args.batch === undefined ? 'ferry: the plan has no batches.' : `ferry: no batch named "${args.batch}" in ${args.file}.`);
    return ExitCode.failed;
  }
  const dir = path.resolve(io.cwd, args.out ?? '.');
  let problems = 0;
  for (const batch of batches) {
    const result = exportBatch(plan, batch, args.deliveryDomain ? { targetDeliveryDomain: args.deliveryDomain } : {});
    if ('reason' in result) {
      problems++;
      io.err(`ferry: batch "${batch.name}" not exported: ${result.reason}.`);
      continue;
    }
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, result.csvFile), result.csv);
    fs.writeFileSync(path.join(dir, result.scriptFile), result.script);
    io.out(`wrote ${path.join(dir, result.csvFile)} and ${result.scriptFile} (${result.migrationType})`);
  }
  return problems === batches.length ? ExitCode.failed : problems ? ExitCode.completedWithErrors : ExitCode.ok;
}
