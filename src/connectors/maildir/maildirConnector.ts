// The `maildir` endpoint kind: one Maildir per mailbox under the endpoint's folder.
import type { Connector, DestinationMailbox, OpenMailboxRequest, SourceMailbox } from '../types';
import { MaildirDestination } from './maildirDestination';
import { locateMailbox, requireMailbox } from './maildirEndpoint';
import { MaildirSource } from './maildirSource';

/** The Maildir connector, source and destination. */
export const maildirConnector: Connector = {
  kind: 'maildir',
  async openSource(request: OpenMailboxRequest): Promise<SourceMailbox> {
    const location = locateMailbox(request);
    await requireMailbox(location);
    return new MaildirSource(location);
  },
  async openDestination(request: OpenMailboxRequest): Promise<DestinationMailbox> {
    return MaildirDestination.open(locateMailbox(request));
  },
};
