// Reads a plan's run state without a runner and without blocking the extension host: the command
// line's own `ferry status --json` and `ferry report --format json` (read-only: no lock taken) run
// in a child process on VS Code's Node. The same code as on the command line, so what the views
// show is what `ferry status` prints. Reads of one plan are coalesced.
import { execFile } from 'node:child_process';
import * as path from 'node:path';
import type { ProjectStatus } from '../../engine/projectStatus';
import type { MigrationReport } from '../../engine/report';
import type { LockInfo } from '../../store/lock';
import type { Logger } from '../common/logger';
import type { StoreSnapshot } from '../model/projectView';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class StoreReader {
  private readonly inFlight = new Map<string, Promise<StoreSnapshot>>();

  constructor(private readonly ferryBin: string, private readonly logger: Logger) {}

  /** Runs `ferry <args>` beside the plan with VS Code's own Node (ELECTRON_RUN_AS_NODE). */
  cli(args: readonly string[], cwd: string): Promise<CliResult> {
    return new Promise((resolve) => {
      execFile(
        process.execPath,
        [this.ferryBin, ...args],
        { cwd, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, maxBuffer: 512 * 1024 * 1024, timeout: 120_000, windowsHide: true },
        (err, stdout, stderr) => {
          const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
          resolve({ code, stdout: String(stdout), stderr: String(stderr) });
        },
      );
    });
  }

  /** The store's view of a plan: batches, mailboxes, passes, open errors, the runner owning it. */
  snapshot(planFile: string): Promise<StoreSnapshot> {
    const pending = this.inFlight.get(planFile);
    if (pending) return pending;
    const read = this.read(planFile).finally(() => this.inFlight.delete(planFile));
    this.inFlight.set(planFile, read);
    return read;
  }

  private async read(planFile: string): Promise<StoreSnapshot> {
    const started = Date.now();
    const cwd = path.dirname(planFile);
    const [status, report] = await Promise.all([this.cli(['status', planFile, '--json'], cwd), this.cli(['report', planFile, '--format', 'json'], cwd)]);
    if (status.code !== 0) throw new Error(`ferry status failed (${status.code}): ${status.stderr.trim()}`);
    const parsed = JSON.parse(status.stdout) as { runner?: LockInfo; projects: ProjectStatus[] };
    // `report` exits 1 until a pass has run: then there are no errors to show.
    const errors = report.code === 0 ? (JSON.parse(report.stdout) as MigrationReport).errors : [];
    this.logger.debug('store', `read ${path.basename(planFile)} in ${Date.now() - started} ms`);
    return { readAt: Date.now(), status: parsed.projects.find((p) => p.planFile === planFile), errors, runner: parsed.runner };
  }
}
