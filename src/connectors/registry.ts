// Endpoint kind -> connector. Each connector module is loaded on first use, so a Maildir-only run
// never loads imapflow and the extension host pays nothing until a pass needs a protocol.
import type { EndpointType } from '../plan/model';
import type { Connector } from './types';

const loaders: Partial<Record<EndpointType, () => Promise<Connector>>> = {
  maildir: async () => (await import('./maildir/maildirConnector.js')).maildirConnector,
  imap: async () => (await import('./imap/imapConnector.js')).imapConnector,
  m365: async () => (await import('./m365/m365Connector.js')).m365Connector,
  exchange: async () => (await import('./ews/ewsConnector.js')).exchangeConnector,
  gmail: async () => (await import('./gmail/gmailConnector.js')).gmailConnector,
};

/** Kinds whose connector lists the mailboxes an endpoint holds (listMailboxes), known without loading it. */
const directoryKinds: readonly EndpointType[] = ['maildir', 'exchange', 'm365', 'gmail'];

/** Whether discovery can list an endpoint kind's mailboxes. */
export function canListMailboxes(kind: EndpointType | undefined): boolean {
  return kind !== undefined && directoryKinds.includes(kind);
}

/** The endpoint kinds that have a connector. */
export function connectorKinds(): EndpointType[] {
  return Object.keys(loaders) as EndpointType[];
}

/** Whether a kind has a connector (without loading it). */
export function hasConnector(kind: EndpointType | undefined): boolean {
  return kind !== undefined && kind in loaders;
}

/** The connector of an endpoint kind, loaded on first use; throws for a kind without one. */
export async function getConnector(kind: EndpointType | undefined): Promise<Connector> {
  const load = kind ? loaders[kind] : undefined;
  if (!load) throw new Error(`No connector for endpoint type '${kind ?? 'undefined'}'. Ferry moves mail with: ${connectorKinds().join(', ')}.`);
  return load();
}
