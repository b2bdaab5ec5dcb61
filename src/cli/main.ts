// The `ferry` command line: parses arguments and dispatches to one file per command.
import { keepYoungGenerationSmall } from '../runner/youngGeneration';
import { parseArgs } from 'node:util';
import { validateCommand } from './commands/validate';
import { initCommand } from './commands/init';
import { runCommand } from './commands/run';
import { statusCommand } from './commands/status';
import { planCommand } from './commands/plan';
import { reportCommand } from './commands/report';
import { stopCommand } from './commands/stop';
import { restoreCommand } from './commands/restore';
import { approveCommand } from './commands/approve';
import { exportCommand } from './commands/export';
import { discoverCommand } from './commands/discover';
import { fidelityCommand } from './commands/fidelity';
import { serveCommand } from './commands/serve';
import { completeCommand } from './commands/complete';
import { deleteCommand } from './commands/delete';
import { scheduleCommand } from './commands/schedule';
import { workerCommand } from './commands/worker';
import { EngineRefusal } from '../engine/refusal';
import { fillPlaceholders, getEntry } from '../errors/catalog';
import { ExitCode, UsageError, usage } from './usage';
import { processIo, type CliIo } from './io';
import { reportStoreError } from './planState';
import { StoreError } from '../store/storeError';
import { version } from '../../package.json';

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'run' || command === 'serve' || command === 'worker') keepYoungGenerationSmall();
  try {
    switch (command) {
      case 'validate': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { format: { type: 'string', default: 'text' } } });
        return validateCommand(positionals, values.format ?? 'text', io);
      }
      case 'init': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
        if (positionals.length > 1) throw new UsageError('init takes at most one folder');
        return initCommand(positionals[0], values.force ?? false, io);
      }
      case 'run': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { pass: { type: 'string' }, batch: { type: 'string' }, item: { type: 'string' }, state: { type: 'string' }, json: { type: 'boolean', default: false }, detach: { type: 'boolean', default: false } } });
        if (positionals.length > 1) throw new UsageError('run takes one plan file');
        return await runCommand({ file: positionals[0], pass: values.pass, batch: values.batch, item: values.item, state: values.state, json: values.json ?? false, detach: values.detach ?? false }, io);
      }
      case 'worker': {
        const { values } = parseArgs({ args: rest, allowPositionals: false, options: { concurrency: { type: 'string' }, lease: { type: 'string' }, project: { type: 'string', multiple: true } } });
        return await workerCommand({ concurrency: values.concurrency, lease: values.lease, projects: values.project ?? [] }, io);
      }
      case 'status': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { state: { type: 'string' }, json: { type: 'boolean', default: false } } });
        if (positionals.length > 1) throw new UsageError('status takes at most one plan file');
        return statusCommand({ file: positionals[0], state: values.state, json: values.json ?? false }, io);
      }
      case 'plan': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { pass: { type: 'string' }, batch: { type: 'string' }, item: { type: 'string' }, state: { type: 'string' }, json: { type: 'boolean', default: false } } });
        if (positionals.length > 1) throw new UsageError('plan takes one plan file');
        return planCommand({ file: positionals[0], pass: values.pass, batch: values.batch, item: values.item, state: values.state, json: values.json ?? false }, io);
      }
      case 'report': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { format: { type: 'string', default: 'md' }, out: { type: 'string' }, state: { type: 'string' } } });
        if (positionals.length > 1) throw new UsageError('report takes one plan file');
        return reportCommand({ file: positionals[0], format: values.format, out: values.out, state: values.state }, io);
      }
      case 'stop': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { state: { type: 'string' }, wait: { type: 'string', default: '30' } } });
        if (positionals.length > 1) throw new UsageError('stop takes at most one plan file');
        const waitSeconds = Number(values.wait);
        if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new UsageError('--wait takes a number of seconds');
        return await stopCommand({ file: positionals[0], state: values.state, waitSeconds }, io);
      }
      case 'restore': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { state: { type: 'string' } } });
        if (positionals.length > 1) throw new UsageError('restore takes at most one plan file');
        return restoreCommand({ file: positionals[0], state: values.state }, io);
      }
      case 'approve': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { batch: { type: 'string' }, item: { type: 'string' }, state: { type: 'string' } } });
        if (positionals.length > 1) throw new UsageError('approve takes one plan file');
        return approveCommand({ file: positionals[0], batch: values.batch, item: values.item, state: values.state }, io);
      }
      case 'export': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { batch: { type: 'string' }, out: { type: 'string' }, 'delivery-domain': { type: 'string' } } });
        if (positionals.length > 1) throw new UsageError('export takes one plan file');
        return exportCommand({ file: positionals[0], batch: values.batch, out: values.out, deliveryDomain: values['delivery-domain'] }, io);
      }
      case 'discover': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { endpoint: { type: 'string' }, json: { type: 'boolean', default: false } } });
        if (positionals.length > 1) throw new UsageError('discover takes one plan file');
        return await discoverCommand({ file: positionals[0], endpoint: values.endpoint, json: values.json ?? false }, io);
      }
      case 'fidelity': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
        return await fidelityCommand(positionals, values.json ?? false, io);
      }
      case 'serve': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { state: { type: 'string' }, look: { type: 'string' }, 'git-pull': { type: 'string' } } });
        if (positionals.length !== 1) throw new UsageError('serve takes one plan file');
        return await serveCommand({ file: positionals[0], state: values.state, look: values.look, gitPull: values['git-pull'] }, io);
      }
      case 'complete':
      case 'delete': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { batch: { type: 'string' }, state: { type: 'string' }, yes: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
        if (positionals.length > 2 || (positionals[1] !== undefined && values.batch !== undefined)) throw new UsageError(`${command} takes a plan file and one batch`);
        const args = { file: positionals[0], batch: positionals[1] ?? values.batch, state: values.state, yes: values.yes ?? false, json: values.json ?? false };
        return command === 'complete' ? await completeCommand(args, io) : await deleteCommand(args, io);
      }
      case 'schedule': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { state: { type: 'string' } } });
        if (positionals.length > 3) throw new UsageError('schedule takes a plan file, an action and a batch');
        return scheduleCommand({ file: positionals[0], verb: positionals[1], batch: positionals[2], state: values.state }, io);
      }
      case 'version':
      case '--version':
        io.out(version);
        return ExitCode.ok;
      case 'help':
      case '--help':
      case '-h':
        io.out(usage);
        return ExitCode.ok;
      case undefined:
        io.err(usage);
        return ExitCode.usage;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError || (err as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`ferry: ${(err as Error).message}\n\n${usage}`);
      return ExitCode.usage;
    }
    // Opening or writing a state folder: a coded message and the next step, never a stack trace.
    if (err instanceof StoreError) return reportStoreError(io, err);
    // A refusal with its code (the distributed configuration, the queue): the message and the next step.
    if (err instanceof EngineRefusal && err.kind === 'refused') {
      io.err(`ferry: ${err.code} ${err.message}`);
      const action = getEntry(err.code)?.action;
      if (action) io.err(`  Next: ${fillPlaceholders(action, err.args)}`);
      return ExitCode.failed;
    }
    throw err;
  }
}
