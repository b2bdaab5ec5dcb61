// The `maildir` endpoint kind: one Maildir per mailbox under the endpoint's folder.
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Connector, DestinationMailbox, DirectoryRequest, OpenMailboxRequest, SourceMailbox } from '../types';
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
    const location = locateMailbox(request);
    return request.readOnly ? MaildirDestination.inspect(location) : MaildirDestination.open(location);
  },
  /** The endpoint folder's Maildirs: directories named by an address that have a cur/. */
  async listMailboxes(request: DirectoryRequest): Promise<string[]> {
    const base = path.resolve(request.planDir, typeof request.endpoint.settings.path === 'string' && request.endpoint.settings.path ? request.endpoint.settings.path : '.');
    const entries = await fs.readdir(base, { withFileTypes: true }).catch(() => []);
    const found: string[] = [];
    for (const e of entries) {
      if (!e.isDirectory() || !e.name.includes('@') || e.name.startsWith('.')) continue;
      if (await fs.stat(path.join(base, e.name, 'cur')).then((s) => s.isDirectory(), () => false)) found.push(e.name);
    }
    return found.sort((a, b) => a.localeCompare(b));
  },
};
