// The `imap` endpoint kind on imapflow: one logged-in connection per mailbox side. imapflow and the
// modules that use it are loaded on first use: a delta's quiet probe (lean/quietProbe.ts) needs none.
import type { Connector, DestinationMailbox, OpenMailboxRequest, SourceMailbox } from '../types';
import { imapError } from './imapErrors';
import type { ImapSession } from './imapSession';
import { imapAuth, imapEndpointSettings, imapFlowOptions } from './imapSettings';
import { leanFetchEnabled } from './lean/leanBodyReader';
import { ImapQuietProbe } from './lean/quietProbe';

/** The endpoint's settings and this mailbox's login, checked. */
function loginOf(request: OpenMailboxRequest) {
  request.signal.throwIfAborted();
  const endpoint = imapEndpointSettings(request.endpoint.settings);
  if (!endpoint.host) throw imapError('IMAP-CONNECT', ['(none)', String(endpoint.port), 'the endpoint has no host'], 'mailbox');
  return { endpoint, ...imapAuth(request, endpoint) };
}

/** Connects and logs in for one mailbox; the session reconnects by itself after a drop. */
async function openSession(request: OpenMailboxRequest, qresync = false): Promise<ImapSession> {
  const { endpoint, auth, identity, accessToken } = loginOf(request);
  const { ImapSession } = await import('./imapSession.js');
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
    if ((await session.connect()).capabilities.has('X-GM-EXT-1')) return new (await import('./gmailImapSource.js')).GmailImapSource(session, request.options?.gmail?.labels);
    return new (await import('./imapSource.js')).ImapSource(session);
  },
  async openDestination(request: OpenMailboxRequest): Promise<DestinationMailbox> {
    const session = await openSession(request);
    const [{ ImapDestination }, { canMultiAppend }] = await Promise.all([import('./imapDestination.js'), import('./imapMultiAppend.js')]);
    return new ImapDestination(session, canMultiAppend(await session.connect()));
  },
  async openQuietProbe(request: OpenMailboxRequest): Promise<SourceMailbox | undefined> {
    const { endpoint, auth, identity, accessToken } = loginOf(request);
    // XOAUTH2 with refresh, or the lean connections switched off: the full source answers.
    if (accessToken || !leanFetchEnabled()) return undefined;
    return ImapQuietProbe.open(imapFlowOptions(endpoint, auth, true), { host: endpoint.host, port: endpoint.port, user: identity.user, ...(identity.authzid ? { authzid: identity.authzid } : {}), mailbox: request.mailbox });
  },
};
