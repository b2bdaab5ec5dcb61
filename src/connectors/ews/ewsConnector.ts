// The `exchange` endpoint kind: on-premises and hosted Exchange 2007 and later through EWS (for
// Exchange Online use `m365`: Microsoft shuts EWS off there in 2026-2027). Opening a side finds the
// EWS URL (the plan's, or autodiscover), then binds the mailbox's root folder, which proves at once
// that the password is right, that the account may open this mailbox (impersonation or full
// access) and that the mailbox exists. Between two Exchange endpoints items travel in Exchange's
// full-fidelity format (ExportItems / UploadItems).
import { peerTakesOpaque, type Connector, type DestinationMailbox, type DirectoryRequest, type OpenMailboxRequest, type SourceMailbox } from '../types';
import { autodiscoverEwsUrl } from './ewsAutodiscover';
import { EwsDestination } from './ewsDestination';
import { EwsFullFidelitySource } from './ewsFullFidelitySource';
import { withNegotiatedVersion, type EwsSession } from './ewsSession';
import { ewsSettings, hasExportImport, type EwsVersion } from './ewsSettings';
import { EwsSource } from './ewsSource';

/** Finds the EWS URL, opens the mailbox with the newest schema the server takes and proves it (binds its folders). */
async function openProved<T extends { listFolders(): Promise<unknown> }>(request: OpenMailboxRequest, make: (session: EwsSession) => T): Promise<{ side: T; version: EwsVersion }> {
  request.signal.throwIfAborted();
  const settings = ewsSettings(request);
  const autodiscoverUrl = typeof request.endpoint.settings.autodiscoverUrl === 'string' ? request.endpoint.settings.autodiscoverUrl : undefined;
  const url = settings.url ?? (await autodiscoverEwsUrl(settings, request.mailbox, autodiscoverUrl));
  return withNegotiatedVersion(settings, url, async (session) => {
    const side = make(session);
    await side.listFolders();
    return side;
  });
}

export const exchangeConnector: Connector = {
  kind: 'exchange',
  async openSource(request: OpenMailboxRequest): Promise<SourceMailbox> {
    const { side, version } = await openProved(request, (s) => new EwsSource(s));
    // Between Exchange servers that both export and upload (2010 SP1 and later): full fidelity. The
    // destination says whether it uploads (the engine asks it: EwsDestination.acceptsOpaque).
    if (request.peerType !== 'exchange' || !hasExportImport(version) || !(await peerTakesOpaque(request))) return side;
    return new EwsFullFidelitySource(side.session);
  },
  async openDestination(request: OpenMailboxRequest): Promise<DestinationMailbox> {
    return (await openProved(request, (s) => new EwsDestination(s))).side;
  },
  async listMailboxes(request: DirectoryRequest): Promise<string[]> {
    return (await import('./ewsDirectory.js')).listExchangeMailboxes(request);
  },
};

