// The tenant's mailboxes, for "Discover Mailboxes" on an m365 endpoint: users with a mail address
// and an Exchange Online licence, from `GET /users` (User.Read.All).
import type { User } from '@microsoft/microsoft-graph-types';
import type { DirectoryRequest } from '../types';
import { select } from './graphSelect';
import { GraphSession } from './graphSession';
import { allPages } from './m365Folders';
import { m365Settings } from './m365Settings';

type GraphUser = Pick<User, 'userPrincipalName' | 'mail' | 'assignedPlans'>;

/** Whether the user has an enabled Exchange Online service plan (a mailbox licence). */
export function hasExchangeLicence(user: GraphUser): boolean {
  return (user.assignedPlans ?? []).some((p) => p.service?.toLowerCase() === 'exchange' && p.capabilityStatus === 'Enabled');
}

/** Mailbox addresses of the tenant (mail, else UPN), sorted; `request.mailbox` is not used. */
export async function listTenantMailboxes(request: DirectoryRequest): Promise<string[]> {
  const session = await GraphSession.open(m365Settings({ ...request, mailbox: '' }), '(directory)');
  const users = await allPages<GraphUser>(session, 'list the tenant users', `/users?$select=${select<User>('userPrincipalName', 'mail', 'assignedPlans')}&$top=100`);
  return users
    .filter((u) => u.mail && hasExchangeLicence(u))
    .map((u) => u.mail ?? u.userPrincipalName ?? '')
    .sort((a, b) => a.localeCompare(b));
}
