// What a Graph handler knows about the request it serves: who calls (token claims), for which
// mailbox, and how to build absolute links (`@odata.nextLink`, `@odata.deltaLink`).
import type { FakeData, MailboxRecord, TenantRecord, UserRecord } from './data';

/** The Graph versions the fake serves: v1.0 as Microsoft's v1.0 CSDL describes it, beta for beta-only resources. */
export type GraphVersion = 'v1.0' | 'beta';

/** The Graph version a path is under: `/beta/...` or `/v1.0/...`. */
export function versionOf(path: string): GraphVersion {
  return path.startsWith('/beta/') ? 'beta' : 'v1.0';
}

/** The path after its version segment: '/users/x' for '/v1.0/users/x' or '/beta/users/x'. */
export function afterVersion(path: string): string {
  return path.replace(/^\/(v1\.0|beta)(?=\/|$)/, '');
}

export interface GraphCall {
  data: FakeData;
  version: GraphVersion;
  tenant: TenantRecord;
  /** Application permissions (app-only tokens) or delegated scopes. */
  roles: string[];
  /** The signed-in user for delegated tokens (device code). */
  upn?: string;
  /** e.g. 'https://127.0.0.1:4443/v1.0' (or '/beta'). */
  base: string;
  /** Largest request body Graph takes (4 MB for a message). */
  maxRequestBytes: number;
  /** The request sent `Prefer: IdType="ImmutableId"`: item ids in answers are immutable ones. */
  immutableIds: boolean;
}

export interface MailboxCall extends GraphCall {
  user: UserRecord;
  box: MailboxRecord;
}

/** Whether the caller may read (or, with write, change) mail. */
export function mayUseMail(call: GraphCall, write: boolean): boolean {
  return call.roles.includes('Mail.ReadWrite') || (!write && call.roles.includes('Mail.Read'));
}

/** A page of `items` from `$skip` for `$top` (default 10), with the nextLink Graph adds when more remain. */
export function page<T>(items: T[], query: URLSearchParams, link: string, fallbackTop = 10): { value: T[]; '@odata.nextLink'?: string } {
  const top = Math.max(1, Math.min(1000, Number(query.get('$top') ?? fallbackTop) || fallbackTop));
  const skip = Math.max(0, Number(query.get('$skip') ?? 0) || 0);
  const value = items.slice(skip, skip + top);
  if (skip + top >= items.length) return { value };
  const next = new URLSearchParams(query);
  next.set('$top', String(top));
  next.set('$skip', String(skip + top));
  return { value, '@odata.nextLink': `${link}?${next.toString()}` };
}
