// The `m365` endpoint kind: Microsoft 365 through Microsoft Graph, signed in with msal-node. Opening
// a side checks the mailbox at once (no user: GRAPH-404; no Exchange Online licence: GRAPH-NOLICENSE,
// the Insufficient licenses status; no Mail.ReadWrite: GRAPH-403).
import type { Connector, DestinationMailbox, OpenMailboxRequest, SourceMailbox } from '../types';
import { GraphSession } from './graphSession';
import { M365Destination } from './m365Destination';
import { m365Settings } from './m365Settings';
import { M365Source } from './m365Source';

async function openSession(request: OpenMailboxRequest): Promise<GraphSession> {
  request.signal.throwIfAborted();
  const session = await GraphSession.open(m365Settings(request), request.mailbox);
  await session.call('open the mailbox', (c) => c.api(`${session.userPath}/mailFolders/inbox?$select=id`).get() as Promise<unknown>, { mailboxLevel: true });
  return session;
}

export const m365Connector: Connector = {
  kind: 'm365',
  async openSource(request: OpenMailboxRequest): Promise<SourceMailbox> {
    return new M365Source(await openSession(request));
  },
  async openDestination(request: OpenMailboxRequest): Promise<DestinationMailbox> {
    return new M365Destination(await openSession(request));
  },
};
