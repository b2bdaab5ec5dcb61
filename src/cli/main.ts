// The `ferry` command line: parses arguments and dispatches to one file per command.
import { parseArgs } from 'node:util';
import { validateCommand } from './commands/validate';
import { initCommand } from './commands/init';
import { ExitCode, UsageError, usage } from './usage';
import { processIo, type CliIo } from './io';
import { version } from '../../package.json';

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  const [command, ...rest] = argv;
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
    throw err;
  }
}
