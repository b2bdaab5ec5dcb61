// The domain's mailboxes, for "Discover Mailboxes" on a gmail endpoint: the users of the Workspace
// account (Admin SDK Directory API users.list, customer my_customer), read as the endpoint's
// `adminEmail` through domain-wide delegation; suspended and archived users are left out (their
// mail cannot be read as them), each user by primary address.
import type { admin_directory_v1 } from '@googleapis/admin';
import type { DirectoryRequest } from '../types';
import { gmailError } from './gmailErrors';
import { GmailSession } from './gmailSession';
import { gmailSettings } from './gmailSettings';

export async function listDomainMailboxes(request: DirectoryRequest): Promise<string[]> {
  const settings = gmailSettings(request);
  if (!settings.adminEmail) throw gmailError('GMAIL-NO-ADMIN', [settings.domain, 'the endpoint has no adminEmail']);
  const session = new GmailSession(settings, settings.adminEmail);
  await session.signIn('directory', request.signal);
  const [{ admin }, auth] = await Promise.all([import('@googleapis/admin'), session.auth('directory')]);
  const api = admin({ version: 'directory_v1', auth, retry: false, ...(settings.apiRootUrl ? { rootUrl: settings.apiRootUrl } : {}) });
  const out: string[] = [];
  let pageToken: string | undefined;
  do {
    const token = pageToken;
    const page = await session.call<admin_directory_v1.Schema$Users>('directory', 1, 'list the domain users', () => api.users.list({ customer: 'my_customer', maxResults: 500, orderBy: 'email', ...(token ? { pageToken: token } : {}) }, { signal: request.signal }), { signal: request.signal });
    for (const u of page.users ?? []) if (u.primaryEmail && !u.suspended && !u.archived) out.push(u.primaryEmail.toLowerCase());
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return out.sort((a, b) => a.localeCompare(b));
}
