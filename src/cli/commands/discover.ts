// `ferry discover <file> --endpoint NAME [--json]`: the mailboxes an endpoint holds, asked of the
// system itself with the endpoint's credentials (a Maildir folder, the Exchange address book, the
// Microsoft 365 directory), marked with the batch that already lists each one. Reads no state.
import { ConnectorError } from '../../connectors/types';
import { discoverMailboxes } from '../../engine/discovery';
import { envSecrets } from '../../engine/secrets';
import { registryConnectors } from '../../runner/connectors';
import type { CliIo } from '../io';
import { exitForFailure, loadPlanOrReport } from '../planState';
import { ExitCode, UsageError } from '../usage';

export async function discoverCommand(args: { file?: string; endpoint?: string; json: boolean }, io: CliIo): Promise<number> {
  if (!args.file) throw new UsageError('discover needs a plan file');
  const plan = loadPlanOrReport(io, args.file, args.json);
  if (typeof plan === 'number') return plan;
  const endpoint = args.endpoint ?? plan.source;
  if (!endpoint) throw new UsageError('discover needs --endpoint NAME (the plan has no top-level source)');
  try {
    const found = await discoverMailboxes({ plan, endpoint, connectors: registryConnectors, secrets: envSecrets(io.env) });
    const planned = new Map(plan.batches.flatMap((b) => b.items.map((i) => [i.source.toLowerCase(), b.name] as const)));
    if (args.json) {
      io.out(JSON.stringify(found.map((address) => ({ address, batch: planned.get(address.toLowerCase()) ?? null })), null, 2));
      return ExitCode.ok;
    }
    for (const address of found) {
      const batch = planned.get(address.toLowerCase());
      io.out(batch ? `${address}\t(in batch ${batch})` : address);
    }
    const fresh = found.filter((a) => !planned.has(a.toLowerCase())).length;
    io.err(`${found.length} mailboxes on ${endpoint}; ${fresh} not in the plan yet`);
    return ExitCode.ok;
  } catch (err) {
    if (err instanceof ConnectorError) {
      io.err(`ferry: ${err.code} ${err.message}`);
      return ExitCode.failed;
    }
    return exitForFailure(io, err, args.json);
  }
}
