// The `exchange` endpoint kind: on-premises and hosted Exchange 2007 and later through EWS (for
// Exchange Online use `m365`: Microsoft shuts EWS off there in 2026-2027). Opening a side finds the
// EWS URL (the plan's, or autodiscover), then binds the mailbox's root folder, which proves at once
// that the password is right, that the account may open this mailbox (impersonation or full
// access) and that the mailbox exists. Between two Exchange endpoints items travel in Exchange's
// full-fidelity format (ExportItems / UploadItems).
import type { Connector, DestinationMailbox, DirectoryRequest, OpenMailboxRequest, SourceMailbox } from '../types';
import { autodiscoverEwsUrl } from './ewsAutodiscover';
import { EwsDestination } from './ewsDestination';
import { EwsFullFidelitySource } from './ewsFullFidelitySource';
import { EwsSession } from './ewsSession';
import { ewsSettings } from './ewsSettings';
import { EwsSource } from './ewsSource';

async function openSession(request: OpenMailboxRequest): Promise<EwsSession> {
  request.signal.throwIfAborted();
  const settings = ewsSettings(request);
  const autodiscoverUrl = typeof request.endpoint.settings.autodiscoverUrl === 'string' ? request.endpoint.settings.autodiscoverUrl : undefined;
  const url = settings.url ?? (await autodiscoverEwsUrl(settings, request.mailbox, autodiscoverUrl));
  return EwsSession.open(settings, url);
}

export const exchangeConnector: Connector = {
  kind: 'exchange',
  async openSource(request: OpenMailboxRequest): Promise<SourceMailbox> {
    const session = await openSession(request);
    const source = request.peerType === 'exchange' ? new EwsFullFidelitySource(session) : new EwsSource(session);
    await source.listFolders().catch((err: unknown) => {
      session.close();
      throw err;
    });
    return source;
  },
  async openDestination(request: OpenMailboxRequest): Promise<DestinationMailbox> {
    const session = await openSession(request);
    const destination = new EwsDestination(session);
    await destination.listFolders().catch((err: unknown) => {
      session.close();
      throw err;
    });
    return destination;
  },
  async listMailboxes(request: DirectoryRequest): Promise<string[]> {
    return (await import('./ewsDirectory.js')).listExchangeMailboxes(request);
  },
};

