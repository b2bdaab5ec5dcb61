// The `ferry` command line: parses arguments and dispatches to one file per command, each loaded
// when its command runs (`ferry validate` evaluates neither the engine nor the store).
import { sizeHeapForPasses } from '../engine/passHeap';
import { parseArgs } from 'node:util';
import { EngineRefusal } from '../engine/refusal';
import { fillPlaceholders, getEntry } from '../errors/catalog';
import { ExitCode, UsageError, usage } from './usage';
import { processIo, type CliIo } from './io';
import { StoreError } from '../store/storeError';
import { version } from '../../package.json';

/* eslint-disable @typescript-eslint/no-require-imports */
/** Each command's module, required when its command runs (a bundle evaluates it only then). */
const modules = {
  './commands/approve': () => require('./commands/approve') as typeof import('./commands/approve'),
  './commands/complete': () => require('./commands/complete') as typeof import('./commands/complete'),
  './commands/delete': () => require('./commands/delete') as typeof import('./commands/delete'),
  './commands/discover': () => require('./commands/discover') as typeof import('./commands/discover'),
  './commands/export': () => require('./commands/export') as typeof import('./commands/export'),
  './commands/fidelity': () => require('./commands/fidelity') as typeof import('./commands/fidelity'),
  './commands/init': () => require('./commands/init') as typeof import('./commands/init'),
  './commands/plan': () => require('./commands/plan') as typeof import('./commands/plan'),
  './commands/report': () => require('./commands/report') as typeof import('./commands/report'),
  './commands/restore': () => require('./commands/restore') as typeof import('./commands/restore'),
  './commands/run': () => require('./commands/run') as typeof import('./commands/run'),
  './commands/schedule': () => require('./commands/schedule') as typeof import('./commands/schedule'),
  './commands/serve': () => require('./commands/serve') as typeof import('./commands/serve'),
  './commands/status': () => require('./commands/status') as typeof import('./commands/status'),
  './commands/stop': () => require('./commands/stop') as typeof import('./commands/stop'),
  './commands/validate': () => require('./commands/validate') as typeof import('./commands/validate'),
  './commands/worker': () => require('./commands/worker') as typeof import('./commands/worker'),
  './planState': () => require('./planState') as typeof import('./planState'),
};
/* eslint-enable @typescript-eslint/no-require-imports */

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === 'run' || command === 'serve' || command === 'worker') sizeHeapForPasses();
  try {
    switch (command) {
      case 'validate': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { format: { type: 'string', default: 'text' } } });
        return modules['./commands/validate']().validateCommand(positionals, values.format ?? 'text', io);
      }
      case 'init': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { force: { type: 'boolean', default: false } } });
        if (positionals.length > 1) throw new UsageError('init takes at most one folder');
        return modules['./commands/init']().initCommand(positionals[0], values.force ?? false, io);
      }
      case 'run': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { pass: { type: 'string' }, batch: { type: 'string' }, item: { type: 'string' }, state: { type: 'string' }, json: { type: 'boolean', default: false }, detach: { type: 'boolean', default: false } } });
        if (positionals.length > 1) throw new UsageError('run takes one plan file');
        return await modules['./commands/run']().runCommand({ file: positionals[0], pass: values.pass, batch: values.batch, item: values.item, state: values.state, json: values.json ?? false, detach: values.detach ?? false }, io);
      }
      case 'worker': {
        const { values } = parseArgs({ args: rest, allowPositionals: false, options: { concurrency: { type: 'string' }, lease: { type: 'string' }, project: { type: 'string', multiple: true } } });
        return await modules['./commands/worker']().workerCommand({ concurrency: values.concurrency, lease: values.lease, projects: values.project ?? [] }, io);
      }
      case 'status': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { state: { type: 'string' }, json: { type: 'boolean', default: false } } });
        if (positionals.length > 1) throw new UsageError('status takes at most one plan file');
        return modules['./commands/status']().statusCommand({ file: positionals[0], state: values.state, json: values.json ?? false }, io);
      }
      case 'plan': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { pass: { type: 'string' }, batch: { type: 'string' }, item: { type: 'string' }, state: { type: 'string' }, json: { type: 'boolean', default: false } } });
        if (positionals.length > 1) throw new UsageError('plan takes one plan file');
        return modules['./commands/plan']().planCommand({ file: positionals[0], pass: values.pass, batch: values.batch, item: values.item, state: values.state, json: values.json ?? false }, io);
      }
      case 'report': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { format: { type: 'string', default: 'md' }, out: { type: 'string' }, state: { type: 'string' } } });
        if (positionals.length > 1) throw new UsageError('report takes one plan file');
        return modules['./commands/report']().reportCommand({ file: positionals[0], format: values.format, out: values.out, state: values.state }, io);
      }
      case 'stop': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { state: { type: 'string' }, wait: { type: 'string', default: '30' } } });
        if (positionals.length > 1) throw new UsageError('stop takes at most one plan file');
        const waitSeconds = Number(values.wait);
        if (!Number.isFinite(waitSeconds) || waitSeconds < 0) throw new UsageError('--wait takes a number of seconds');
        return await modules['./commands/stop']().stopCommand({ file: positionals[0], state: values.state, waitSeconds }, io);
      }
      case 'restore': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { state: { type: 'string' } } });
        if (positionals.length > 1) throw new UsageError('restore takes at most one plan file');
        return modules['./commands/restore']().restoreCommand({ file: positionals[0], state: values.state }, io);
      }
      case 'approve': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { batch: { type: 'string' }, item: { type: 'string' }, state: { type: 'string' } } });
        if (positionals.length > 1) throw new UsageError('approve takes one plan file');
        return modules['./commands/approve']().approveCommand({ file: positionals[0], batch: values.batch, item: values.item, state: values.state }, io);
      }
      case 'export': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { batch: { type: 'string' }, out: { type: 'string' }, 'delivery-domain': { type: 'string' } } });
        if (positionals.length > 1) throw new UsageError('export takes one plan file');
        return modules['./commands/export']().exportCommand({ file: positionals[0], batch: values.batch, out: values.out, deliveryDomain: values['delivery-domain'] }, io);
      }
      case 'discover': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { endpoint: { type: 'string' }, json: { type: 'boolean', default: false } } });
        if (positionals.length > 1) throw new UsageError('discover takes one plan file');
        return await modules['./commands/discover']().discoverCommand({ file: positionals[0], endpoint: values.endpoint, json: values.json ?? false }, io);
      }
      case 'fidelity': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { json: { type: 'boolean', default: false } } });
        return await modules['./commands/fidelity']().fidelityCommand(positionals, values.json ?? false, io);
      }
      case 'serve': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { state: { type: 'string' }, look: { type: 'string' }, 'git-pull': { type: 'string' } } });
        if (positionals.length !== 1) throw new UsageError('serve takes one plan file');
        return await modules['./commands/serve']().serveCommand({ file: positionals[0], state: values.state, look: values.look, gitPull: values['git-pull'] }, io);
      }
      case 'complete':
      case 'delete': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { batch: { type: 'string' }, state: { type: 'string' }, yes: { type: 'boolean', default: false }, json: { type: 'boolean', default: false } } });
        if (positionals.length > 2 || (positionals[1] !== undefined && values.batch !== undefined)) throw new UsageError(`${command} takes a plan file and one batch`);
        const args = { file: positionals[0], batch: positionals[1] ?? values.batch, state: values.state, yes: values.yes ?? false, json: values.json ?? false };
        return command === 'complete' ? await modules['./commands/complete']().completeCommand(args, io) : await modules['./commands/delete']().deleteCommand(args, io);
      }
      case 'schedule': {
        const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { state: { type: 'string' } } });
        if (positionals.length > 3) throw new UsageError('schedule takes a plan file, an action and a batch');
        return modules['./commands/schedule']().scheduleCommand({ file: positionals[0], verb: positionals[1], batch: positionals[2], state: values.state }, io);
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
    if (err instanceof StoreError) return modules['./planState']().reportStoreError(io, err);
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
