// The `gmail` endpoint kind: Google Workspace as a source, through Google's APIs with a service
// account and domain-wide delegation. Opening a mailbox signs in as the user (a refused key,
// missing delegation or scope, an unknown or suspended user each have their GMAIL- code) and reads
// its Gmail profile, which proves the user has Gmail. Google Workspace is never a destination.
import type { Connector, DestinationMailbox, DirectoryRequest, OpenMailboxRequest, SourceMailbox } from '../types';
import { ConnectorError } from '../types';
import { defaultOptions } from '../../plan/model';
import { GmailPim } from './gmailPim';
import { GmailSession } from './gmailSession';
import { gmailSettings } from './gmailSettings';
import { GmailSource } from './gmailSource';
import { GMAIL_UNITS } from './quotaPacer';

/** Destinations that keep keywords as IMAP atoms (Outlook categories take any text). */
const ATOM_KEYWORDS = new Set(['imap', 'maildir']);

export const gmailConnector: Connector = {
  kind: 'gmail',
  async openSource(request: OpenMailboxRequest): Promise<SourceMailbox> {
    request.signal.throwIfAborted();
    const session = new GmailSession(gmailSettings(request), request.mailbox);
    await session.signIn('mail', request.signal);
    const api = await session.gmail();
    await session.call('gmail', GMAIL_UNITS['users.getProfile'], 'open the mailbox', () => api.users.getProfile({ userId: 'me' }, { signal: request.signal }), { signal: request.signal });
    const options = request.options ?? defaultOptions;
    const pim = new GmailPim(session, { calendar: options.itemTypes.includes('calendar'), contacts: options.itemTypes.includes('contacts') });
    return new GmailSource(session, pim, { mode: options.gmail.labels, atomKeywords: ATOM_KEYWORDS.has(request.peerType ?? '') });
  },
  openDestination(request: OpenMailboxRequest): Promise<DestinationMailbox> {
    return Promise.reject(new ConnectorError('ENG-050', `${request.endpoint.name} is a Google Workspace endpoint: a source only`, 'mailbox', [request.endpoint.name, 'gmail (as a destination)']));
  },
  async listMailboxes(request: DirectoryRequest): Promise<string[]> {
    return (await import('./gmailDirectory.js')).listDomainMailboxes(request);
  },
};
