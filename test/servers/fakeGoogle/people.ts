// The People API v1 subset a migration reads (https://developers.google.com/people/api/rest/v1/people.connections/list):
// people.connections.list of `people/me` with the required `personFields` mask, paging
// (pageSize 1..1000, default 100), `requestSyncToken`, and `syncToken` answering the changes
// since (deleted contacts with `metadata.deleted`), or 400 FAILED_PRECONDITION EXPIRED_SYNC_TOKEN.
import { randomBytes, randomInt } from 'node:crypto';
import { json } from '../fakeM365/http';
import { fail, num, pageToken, readPageToken, str, type ApiContext, type Handler } from './apiContext';
import type { Domain } from './domain';

/** Person fields personFields may name (People API v1). */
export const PERSON_FIELDS = ['addresses', 'ageRanges', 'biographies', 'birthdays', 'calendarUrls', 'clientData', 'coverPhotos', 'emailAddresses', 'events', 'externalIds', 'genders', 'imClients', 'interests', 'locales', 'locations', 'memberships', 'metadata', 'miscKeywords', 'names', 'nicknames', 'occupations', 'organizations', 'phoneNumbers', 'photos', 'relations', 'sipAddresses', 'skills', 'urls', 'userDefined'];
const DOCS = 'Valid paths are documented at https://developers.google.com/people/api/rest/v1/people.connections/list.';

/** A contact's fields as a test gives them (People's Person members, without metadata). */
export type ContactFields = Record<string, Record<string, unknown>[]>;

interface StoredContact {
  resourceName: string;
  sourceId: string;
  fields: ContactFields;
  updateTime: string;
  change: number;
  deleted: boolean;
}

export class ContactsStore {
  readonly contacts = new Map<string, StoredContact>();
  change = 1;
  /** Sync tokens made before this change are expired. */
  syncFloor = 0;

  add(fields: ContactFields): string {
    const resourceName = `people/c${String(randomInt(1e9, 1e10))}${String(randomInt(1e8, 1e9))}`;
    this.contacts.set(resourceName, { resourceName, sourceId: randomBytes(8).toString('hex'), fields, updateTime: new Date().toISOString(), change: ++this.change, deleted: false });
    return resourceName;
  }

  update(resourceName: string, fields: ContactFields): void {
    const c = this.must(resourceName);
    Object.assign(c, { fields: { ...c.fields, ...fields }, updateTime: new Date().toISOString(), change: ++this.change });
  }

  delete(resourceName: string): void {
    Object.assign(this.must(resourceName), { deleted: true, updateTime: new Date().toISOString(), change: ++this.change });
  }

  private must(resourceName: string): StoredContact {
    const c = this.contacts.get(resourceName);
    if (!c) throw new Error(`fake Google: no contact ${resourceName}`);
    return c;
  }
}

function personOf(c: StoredContact, fields: string[]): Record<string, unknown> {
  const source = { type: 'CONTACT', id: c.sourceId };
  const etag = `%Eg${Buffer.from(`${c.resourceName}:${c.change}`).toString('base64url')}`;
  const out: Record<string, unknown> = { resourceName: c.resourceName, etag };
  if (c.deleted) return { ...out, metadata: { sources: [{ ...source, etag, updateTime: c.updateTime }], deleted: true, objectType: 'PERSON' } };
  if (fields.includes('metadata')) out.metadata = { sources: [{ ...source, etag, updateTime: c.updateTime }], objectType: 'PERSON' };
  for (const name of fields) {
    const items = c.fields[name];
    if (!items || name === 'metadata') continue;
    out[name] = items.map((item, i) => ({ metadata: { ...(i === 0 ? { primary: true } : {}), sourcePrimary: i === 0, source }, ...item }));
  }
  return out;
}

export class PeopleService {
  readonly stores = new Map<string, ContactsStore>();

  constructor(private readonly domain: Domain) {}

  store(email: string): ContactsStore {
    const user = this.domain.user(email);
    if (!user) throw new Error(`fake Google: no user ${email}`);
    let s = this.stores.get(user.primaryEmail);
    if (!s) this.stores.set(user.primaryEmail, (s = new ContactsStore()));
    return s;
  }

  readonly handlers: Record<string, Handler> = {
    'people.people.connections.list': (ctx: ApiContext) => {
      const p = ctx.params;
      if (p.peopleId !== 'me') return fail(400, 'badRequest', 'Must be a valid person resource name: "people/me".');
      if (!ctx.grant.subject) return fail(400, 'failedPrecondition', 'Precondition check failed.', { status: 'FAILED_PRECONDITION' });
      const mask = str(p.personFields) ?? str(p['requestMask.includeField']);
      if (!mask) return fail(400, 'badRequest', `personFields mask is required. Please specify one or more valid paths. ${DOCS}`);
      const fields = mask.split(',').map((f) => f.trim().replace(/^person\./, ''));
      const wrong = fields.find((f) => !PERSON_FIELDS.includes(f));
      if (wrong) return fail(400, 'badRequest', `Invalid personFields mask path: "${wrong}". ${DOCS}`);
      const size = num(p.pageSize) ?? 100;
      if (size < 0 || size > 1000) return fail(400, 'badRequest', 'Page size must be less than or equal to 1000.');
      const store = this.store(ctx.grant.subject);
      const syncText = str(p.syncToken);
      let since: number | undefined;
      if (syncText !== undefined) {
        const token = readPageToken<number>(syncText, 'sync', () => fail(400, 'badRequest', 'Sync token is expired. Clear local cache and retry call without the sync token.', { status: 'FAILED_PRECONDITION' }));
        if (token === undefined || token < store.syncFloor) {
          return fail(400, 'failedPrecondition', 'Sync token is expired. Clear local cache and retry call without the sync token.', { status: 'FAILED_PRECONDITION', details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'EXPIRED_SYNC_TOKEN', domain: 'people.googleapis.com' }] });
        }
        since = token;
      }
      let all = [...store.contacts.values()].filter((c) => (since === undefined ? !c.deleted : c.change > since));
      const order = str(p.sortOrder) ?? 'LAST_MODIFIED_ASCENDING';
      const nameOf = (c: StoredContact, key: string) => String(c.fields.names?.[0]?.[key] ?? '').toLowerCase();
      all = all.sort((a, b) => (order === 'LAST_MODIFIED_DESCENDING' ? b.change - a.change : order === 'FIRST_NAME_ASCENDING' ? nameOf(a, 'givenName').localeCompare(nameOf(b, 'givenName')) : order === 'LAST_NAME_ASCENDING' ? nameOf(a, 'familyName').localeCompare(nameOf(b, 'familyName')) : a.change - b.change));
      const scope = JSON.stringify([mask, syncText ?? '', order]);
      const from = readPageToken<number>(str(p.pageToken), scope, () => fail(400, 'badRequest', 'Page token is invalid.')) ?? 0;
      const pageSize = size || 100;
      const page = all.slice(from, from + pageSize);
      const more = from + pageSize < all.length;
      const live = [...store.contacts.values()].filter((c) => !c.deleted).length;
      return json(200, {
        ...(page.length ? { connections: page.map((c) => personOf(c, fields)) } : {}),
        ...(more ? { nextPageToken: pageToken(from + pageSize, scope) } : {}),
        ...(!more && (p.requestSyncToken === true || since !== undefined) ? { nextSyncToken: pageToken(store.change, 'sync') } : {}),
        totalPeople: live,
        totalItems: live,
      });
    },
  };
}
