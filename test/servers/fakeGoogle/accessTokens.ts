// Access tokens the fake's token endpoint issues and its APIs accept: opaque `ya29.` strings
// like Google's, remembered with the service account, the user (`sub`), the granted scopes and
// the expiry. Lifetime is an option so a test can watch a client fetch a new one mid-pass.
import { randomBytes } from 'node:crypto';

export interface Grant {
  clientEmail: string;
  clientId: string;
  /** The impersonated user's primary address; undefined for the service account itself. */
  subject?: string;
  scopes: Set<string>;
  expiresAt: number;
}

export class AccessTokens {
  private readonly grants = new Map<string, Grant>();
  issued = 0;

  constructor(
    public lifetimeSeconds = 3599,
    private readonly now: () => number = Date.now,
  ) {}

  issue(grant: Omit<Grant, 'expiresAt'>): { access_token: string; expires_in: number; token_type: 'Bearer' } {
    const token = `ya29.${randomBytes(48).toString('base64url')}`;
    this.grants.set(token, { ...grant, expiresAt: this.now() + this.lifetimeSeconds * 1000 });
    this.issued++;
    return { access_token: token, expires_in: this.lifetimeSeconds, token_type: 'Bearer' };
  }

  /** The grant of a live token from an `Authorization: Bearer` header (or `access_token` parameter). */
  check(token: string | undefined): Grant | undefined {
    if (!token) return undefined;
    const grant = this.grants.get(token);
    if (!grant) return undefined;
    if (grant.expiresAt <= this.now()) {
      this.grants.delete(token);
      return undefined;
    }
    return grant;
  }

  /** Makes every token issued so far invalid (as if each had expired). */
  expireAll(): void {
    this.grants.clear();
  }

  /** Revokes the tokens of one user (e.g. when the admin suspends them). */
  revokeSubject(subject: string): void {
    for (const [token, grant] of this.grants) if (grant.subject === subject) this.grants.delete(token);
  }
}
