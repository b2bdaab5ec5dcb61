// The `imap` endpoint kind on imapflow: one logged-in connection per mailbox side.
import type { Connector, DestinationMailbox, OpenMailboxRequest, SourceMailbox } from '../types';
import { GmailImapSource } from './gmailImapSource';
import { ImapDestination } from './imapDestination';
import { imapError } from './imapErrors';
import { canMultiAppend } from './imapMultiAppend';
import { ImapSession } from './imapSession';
import { imapAuth, imapEndpointSettings, imapFlowOptions } from './imapSettings';
import { ImapSource } from './imapSource';

/** Connects and logs in for one mailbox; the session reconnects by itself after a drop. */
async function openSession(request: OpenMailboxRequest, qresync = false): Promise<ImapSession> {
  request.signal.throwIfAborted();
  const endpoint = imapEndpointSettings(request.endpoint.settings);
  if (!endpoint.host) throw imapError('IMAP-CONNECT', ['(none)', String(endpoint.port), 'the endpoint has no host'], 'mailbox');
  const { auth, identity, accessToken } = imapAuth(request, endpoint);
  const session = new ImapSession(imapFlowOptions(endpoint, auth, qresync), { host: endpoint.host, port: endpoint.port, user: identity.user, ...(identity.authzid ? { authzid: identity.authzid } : {}), mailbox: request.mailbox }, accessToken, request.spareConnection);
  await session.connect();
  return session;
}

/** The IMAP connector, source and destination. */
export const imapConnector: Connector = {
  kind: 'imap',
  async openSource(request: OpenMailboxRequest): Promise<SourceMailbox> {
    const session = await openSession(request, true);
    // Gmail (imap.gmail.com, or any server with Gmail's extensions): one copy per message and label mapping.
    return (await session.connect()).capabilities.has('X-GM-EXT-1') ? new GmailImapSource(session, request.options?.gmail?.labels) : new ImapSource(session);
  },
  async openDestination(request: OpenMailboxRequest): Promise<DestinationMailbox> {
    const session = await openSession(request);
    return new ImapDestination(session, canMultiAppend(await session.connect()));
  },
};
