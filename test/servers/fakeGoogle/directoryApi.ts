// The Admin SDK Directory API users subset (https://developers.google.com/admin-sdk/directory/reference/rest/v1/users/list):
// users.list by `customer` (my_customer or the customer id) or `domain`, paging (maxResults 1..500,
// default 100), orderBy/sortOrder, `query` (email:, givenName:, familyName:, isSuspended=, isAdmin=),
// showDeleted; users.get. Only an administrator may call it ("Not Authorized to access this resource/api").
import { json } from '../fakeM365/http';
import { fail, num, pageToken, readPageToken, str, type ApiContext, type Handler } from './apiContext';
import type { Domain, WorkspaceUser } from './domain';

export class DirectoryService {
  constructor(private readonly domain: Domain) {}

  private requireAdmin(ctx: ApiContext): void {
    const caller = ctx.grant.subject ? this.domain.user(ctx.grant.subject) : undefined;
    if (!caller?.isAdmin) fail(403, 'forbidden', 'Not Authorized to access this resource/api', { noStatus: true });
  }

  private userResource(u: WorkspaceUser): Record<string, unknown> {
    return {
      kind: 'admin#directory#user',
      id: u.id,
      etag: `"${Buffer.from(`${u.id}:${String(u.suspended)}`).toString('base64url')}"`,
      primaryEmail: u.primaryEmail,
      name: { givenName: u.givenName, familyName: u.familyName, fullName: `${u.givenName} ${u.familyName}` },
      isAdmin: u.isAdmin,
      isDelegatedAdmin: false,
      lastLoginTime: '1970-01-01T00:00:00.000Z',
      creationTime: u.creationTime,
      agreedToTerms: true,
      suspended: u.suspended,
      ...(u.suspended ? { suspensionReason: 'ADMIN' } : {}),
      archived: false,
      changePasswordAtNextLogin: false,
      ipWhitelisted: false,
      emails: [{ address: u.primaryEmail, primary: true }, ...u.aliases.map((address) => ({ address }))],
      ...(u.aliases.length ? { aliases: u.aliases } : {}),
      customerId: this.domain.customerId,
      orgUnitPath: u.orgUnitPath,
      isMailboxSetup: true,
      isEnrolledIn2Sv: false,
      isEnforcedIn2Sv: false,
      includeInGlobalAddressList: true,
    };
  }

  readonly handlers: Record<string, Handler> = {
    'directory.users.list': (ctx) => {
      this.requireAdmin(ctx);
      const p = ctx.params;
      const customer = str(p.customer);
      const domain = str(p.domain);
      if (!customer && !domain) return fail(400, 'badRequest', 'Bad Request', { noStatus: true });
      if (customer && customer !== 'my_customer' && customer !== this.domain.customerId) return fail(400, 'badRequest', 'Bad Request', { noStatus: true });
      if (domain && domain.toLowerCase() !== this.domain.name) return fail(403, 'forbidden', 'Not Authorized to access this resource/api', { noStatus: true });
      const size = num(p.maxResults) ?? 100;
      if (size < 1 || size > 500) return fail(400, 'invalid', 'Invalid Input: maxResults', { noStatus: true });
      const deleted = p.showDeleted === 'true';
      const tests = parseUserQuery(str(p.query) ?? '');
      if (!tests) return fail(400, 'invalid', 'Invalid Input', { noStatus: true });
      const key = str(p.orderBy) ?? 'email';
      const field = (u: WorkspaceUser) => (key === 'familyName' ? u.familyName : key === 'givenName' ? u.givenName : u.primaryEmail).toLowerCase();
      const users = [...this.domain.users.values()].filter((u) => u.deleted === deleted && tests.every((t) => t(u))).sort((a, b) => field(a).localeCompare(field(b)) * (p.sortOrder === 'DESCENDING' ? -1 : 1));
      const scope = JSON.stringify([customer ?? '', domain ?? '', p.query ?? '', key, p.sortOrder ?? '', deleted]);
      const from = readPageToken<number>(str(p.pageToken), scope, () => fail(400, 'invalid', 'Invalid Input: pageToken', { noStatus: true })) ?? 0;
      const page = users.slice(from, from + size);
      return json(200, { kind: 'admin#directory#users', etag: `"${String(users.length)}"`, ...(page.length ? { users: page.map((u) => this.userResource(u)) } : {}), ...(from + size < users.length ? { nextPageToken: pageToken(from + size, scope) } : {}) });
    },
    'directory.users.get': (ctx) => {
      this.requireAdmin(ctx);
      const u = this.domain.user(str(ctx.params.userKey) ?? '');
      if (!u || u.deleted) return fail(404, 'notFound', 'Resource Not Found: userKey', { noStatus: true });
      return json(200, this.userResource(u));
    },
  };
}

/** Directory's user search terms the fake understands, ANDed; undefined for a term it cannot read. */
function parseUserQuery(q: string): ((u: WorkspaceUser) => boolean)[] | undefined {
  const tests: ((u: WorkspaceUser) => boolean)[] = [];
  for (const term of q.match(/\S+/g) ?? []) {
    const m = /^(email|givenName|familyName|isSuspended|isAdmin|orgUnitPath)([:=])'?([^']*)'?$/i.exec(term);
    if (!m) return undefined;
    const [, name, , raw] = m;
    const value = raw.toLowerCase();
    const prefix = value.endsWith('*');
    const matches = (s: string) => (prefix ? s.toLowerCase().startsWith(value.slice(0, -1)) : s.toLowerCase() === value);
    if (name === 'isSuspended') tests.push((u) => u.suspended === (value === 'true'));
    else if (name === 'isAdmin') tests.push((u) => u.isAdmin === (value === 'true'));
    else if (name === 'email') tests.push((u) => matches(u.primaryEmail) || (!value.includes('@') && matches(u.primaryEmail.split('@')[0])));
    else if (name === 'givenName') tests.push((u) => matches(u.givenName));
    else if (name === 'familyName') tests.push((u) => matches(u.familyName));
    else tests.push((u) => matches(u.orgUnitPath));
  }
  return tests;
}
