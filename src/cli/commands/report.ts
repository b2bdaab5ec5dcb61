// `ferry report <file> --format md|csv|json [--out DIR] [--state DIR]`: batch and mailbox statistics
// and errors grouped by code, to stdout or to ferry-report.<ext> in DIR.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildReport } from '../../engine/report';
import { Store } from '../../store/store';
import type { CliIo } from '../io';
import { absolute, stateDirOf } from '../planState';
import { reportCsv, reportMarkdown } from '../reportFormat';
import { ExitCode, UsageError } from '../usage';
import { distributedOf } from '../distributed';
import { redactUrl } from '../../store/postgres/pgDatabase';

const formats = { md: 'md', csv: 'csv', json: 'json' } as const;

export function reportCommand(args: { file?: string; format?: string; out?: string; state?: string }, io: CliIo): number {
  if (!args.file) throw new UsageError('report needs a plan file');
  const format = args.format ?? 'md';
  if (!(format in formats)) throw new UsageError(`unknown --format "${format}" (md, csv or json)`);
  const shared = distributedOf(io);
  const stateDir = shared ? redactUrl(shared.databaseUrl) : stateDirOf(io, args.file, args.state);
  if (!shared && !Store.exists(stateDir)) {
    io.err(`ferry: no run state in ${stateDir}; run a pass first.`);
    return ExitCode.failed;
  }
  const store: Store = shared ? Store.openShared(shared.databaseUrl) : Store.open(stateDir, { quick: true });
  let text: string;
  try {
    const report = buildReport(store, absolute(io, args.file));
    if (!report) {
      io.err(`ferry: no pass has run for ${args.file} in ${stateDir}.`);
      return ExitCode.failed;
    }
    text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : format === 'csv' ? reportCsv(report) : reportMarkdown(report);
  } finally {
    store.close();
  }
  if (!args.out) {
    io.out(text.trimEnd());
    return ExitCode.ok;
  }
  const dir = path.resolve(io.cwd, args.out);
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `ferry-report.${format}`);
  fs.writeFileSync(file, text);
  io.out(`wrote ${file}`);
  return ExitCode.ok;
}
