// Discovery: the mailboxes an endpoint holds, asked of the source system itself (a Maildir folder,
// the Exchange address book, the Microsoft 365 directory), with the endpoint's own credentials.
// The command line's `ferry discover` and the runner's discover request (VS Code) both come here.
import { ConnectorError } from '../connectors/types';
import * as path from 'node:path';
import type { Plan } from '../plan/model';
import type { ConnectorLookup } from './context';
import { EngineRefusal } from './refusal';
import { namesFor, secretEnvName, type SecretSource } from './secrets';

export interface DiscoverOptions {
  plan: Plan;
  endpoint: string;
  connectors: ConnectorLookup;
  secrets: SecretSource;
  signal?: AbortSignal;
}

/** The endpoint's mailbox addresses, sorted; refuses an unknown endpoint or a kind that cannot list. */
export async function discoverMailboxes(o: DiscoverOptions): Promise<string[]> {
  const endpoint = o.plan.endpoints.get(o.endpoint);
  if (!endpoint) throw new EngineRefusal('ENG-052', ['Endpoint', o.endpoint], 'usage');
  const connector = endpoint.type ? await o.connectors(endpoint.type) : undefined;
  if (!connector?.listMailboxes) throw new EngineRefusal('ENG-053', [endpoint.name, String(endpoint.type), 'maildir, exchange, m365, gmail']);
  const secrets = new Map<string, string>();
  for (const name of namesFor(endpoint, endpoint.auth)) {
    const value = o.secrets(name);
    if (value === undefined) throw new ConnectorError('ENG-051', `secret ${name} is not set`, 'mailbox', [name, secretEnvName(name)]);
    secrets.set(name, value);
  }
  return connector.listMailboxes({ endpoint, planDir: path.dirname(o.plan.file), credentials: { auth: endpoint.auth, secrets }, signal: o.signal ?? new AbortController().signal });
}
