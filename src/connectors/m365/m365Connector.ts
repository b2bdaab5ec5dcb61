// The `m365` endpoint kind: Microsoft 365 through Microsoft Graph, signed in with msal-node. Opening
// a side checks the mailbox at once (no user: GRAPH-404; no Exchange Online licence: GRAPH-NOLICENSE,
// the Insufficient licenses status; no Mail.ReadWrite: GRAPH-403). A source whose destination is
// also m365 reads opaque full-fidelity items (exportItems) when the app holds MailboxItem.Export*
// and the destination's app may import them (MailboxItem.ImportExport, asked through
// peerAcceptsOpaque); the destination imports those through import sessions and writes MIME otherwise.
import { peerTakesOpaque, type Connector, type DestinationMailbox, type DirectoryRequest, type OpenMailboxRequest, type SourceMailbox } from '../types';
import { FullFidelitySource } from './fullFidelitySource';
import { GraphSession } from './graphSession';
import { select } from './graphSelect';
import type { MailFolder } from '@microsoft/microsoft-graph-types';
import { M365Destination } from './m365Destination';
import { m365Settings } from './m365Settings';
import { M365Source } from './m365Source';

async function openSession(request: OpenMailboxRequest): Promise<GraphSession> {
  request.signal.throwIfAborted();
  const session = await GraphSession.open(m365Settings(request), request.mailbox);
  await session.call('open the mailbox', (c) => c.api(`${session.userPath}/mailFolders/inbox?$select=${select<MailFolder>('id')}`).get() as Promise<unknown>, { mailboxLevel: true });
  return session;
}

export const m365Connector: Connector = {
  kind: 'm365',
  async openSource(request: OpenMailboxRequest): Promise<SourceMailbox> {
    const session = await openSession(request);
    // Between Microsoft 365 mailboxes: full fidelity through the import/export API when this app may
    // export and the destination's app may import (the engine asks the destination; MIME otherwise).
    const fullFidelity = request.peerType === 'm365' ? await FullFidelitySource.open(session) : undefined;
    if (fullFidelity && !(await peerTakesOpaque(request))) {
      await fullFidelity.close();
      return new M365Source(session);
    }
    return fullFidelity ?? new M365Source(session);
  },
  async openDestination(request: OpenMailboxRequest): Promise<DestinationMailbox> {
    return new M365Destination(await openSession(request));
  },
  async listMailboxes(request: DirectoryRequest): Promise<string[]> {
    return (await import('./m365Directory.js')).listTenantMailboxes(request);
  },
};
