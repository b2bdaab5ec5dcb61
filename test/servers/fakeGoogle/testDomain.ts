// For tests: a fake Google with a domain (an admin and users), a service account with
// domain-wide delegation of the migration scopes, and raw HTTP helpers that sign the service
// account's JWT themselves (node:crypto), so token-endpoint tests need no Google library.
import { createSign } from 'node:crypto';
import { MIGRATION_SCOPES } from './admin';
import type { ServiceAccountKey } from './domain';
import { GOOGLE_TOKEN_URL, JWT_BEARER } from './oauth';
import { startFakeGoogle, type FakeGoogle, type FakeGoogleOptions } from './server';

export interface TestDomain {
  fake: FakeGoogle;
  key: ServiceAccountKey;
  admin: string;
  users: string[];
  /** POSTs a JWT assertion to the token endpoint; `claims` override the defaults (null removes one). */
  tokenResponse(claims?: Record<string, unknown>, signWith?: ServiceAccountKey): Promise<{ status: number; body: Record<string, unknown> }>;
  /** An access token for `user` with `scopes` (default: the migration scopes). */
  accessToken(user: string, scopes?: string[]): Promise<string>;
  /** GET (or another method) on the fake with a bearer token; the parsed JSON answer. */
  call(token: string, path: string, init?: { method?: string; body?: unknown; headers?: Record<string, string> }): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;
}

export function signAssertion(key: ServiceAccountKey, claims: Record<string, unknown>): string {
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: key.private_key_id })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(key.private_key).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

export async function startTestDomain(options: FakeGoogleOptions & { users?: string[] } = {}): Promise<TestDomain> {
  const fake = await startFakeGoogle(options);
  const domain = fake.admin.domainName;
  const admin = `admin@${domain}`;
  fake.admin.addUser(admin, { isAdmin: true, givenName: 'Ada', familyName: 'Admin' });
  const users = options.users ?? [`ann@${domain}`, `bob@${domain}`];
  for (const u of users) fake.admin.addUser(u);
  const key = fake.admin.createServiceAccount();
  fake.admin.delegate(key.client_id, MIGRATION_SCOPES);

  const tokenResponse: TestDomain['tokenResponse'] = async (claims = {}, signWith = key) => {
    const now = Math.floor(Date.now() / 1000);
    const all: Record<string, unknown> = { iss: key.client_email, aud: GOOGLE_TOKEN_URL, iat: now, exp: now + 3600, scope: MIGRATION_SCOPES.join(' '), sub: users[0], ...claims };
    for (const [k, v] of Object.entries(all)) if (v === null) delete all[k];
    const res = await fetch(fake.tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ grant_type: JWT_BEARER, assertion: signAssertion(signWith, all) }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  const accessToken: TestDomain['accessToken'] = async (user, scopes = MIGRATION_SCOPES) => {
    const r = await tokenResponse({ sub: user, scope: scopes.join(' ') });
    if (r.status !== 200) throw new Error(`token for ${user}: ${r.status} ${JSON.stringify(r.body)}`);
    return String(r.body.access_token);
  };
  const call: TestDomain['call'] = async (token, path, init = {}) => {
    const res = await fetch(`${fake.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { authorization: `Bearer ${token}`, ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}), ...init.headers },
      ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
    });
    const text = await res.text();
    return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {}, headers: res.headers };
  };
  return { fake, key, admin, users, tokenResponse, accessToken, call };
}

/** A small RFC 822 message. */
export function rfc822(subject: string, options: { from?: string; to?: string; date?: Date; body?: string; messageId?: string } = {}): string {
  return [
    `From: ${options.from ?? 'Carol <carol@elsewhere.test>'}`,
    `To: ${options.to ?? 'ann@example.test'}`,
    `Subject: ${subject}`,
    `Date: ${(options.date ?? new Date('2026-03-01T10:00:00Z')).toUTCString().replace('GMT', '+0000')}`,
    `Message-ID: ${options.messageId ?? `<${subject.replace(/\W+/g, '.')}.${Math.random().toString(36).slice(2)}@elsewhere.test>`}`,
    'MIME-Version: 1.0',
    'Content-Type: text/plain; charset=utf-8',
    '',
    options.body ?? `Body of ${subject}.`,
    '',
  ].join('\r\n');
}
