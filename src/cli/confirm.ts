// Confirmation of a batch action that cannot be undone, as the VS Code commands ask it: --yes
// answers; at a terminal the operator is asked; elsewhere (a script, a service) it is refused (CLI-001).
import { formatMessage } from '../errors/catalog';
import type { CliIo } from './io';

/** True when confirmed; false when refused (CLI-001 printed) or answered no. */
export async function confirmed(io: CliIo, what: string, question: string, yes: boolean): Promise<boolean> {
  if (yes) return true;
  if (!io.ask) {
    io.err(`ferry: CLI-001 ${formatMessage('CLI-001', [what])}`);
    return false;
  }
  const answer = (await io.ask(`${question} [y/N] `)).trim().toLowerCase();
  if (answer === 'y' || answer === 'yes') return true;
  io.err('Nothing done.');
  return false;
}
