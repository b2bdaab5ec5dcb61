// Access tokens the fake issues and Graph accepts: signed with a key made at start, valid for
// `lifetimeSeconds`, and void once revoked (the "expire tokens" fault), so a test can make a
// token die mid-pass and watch the client sign in again.
import { randomBytes, randomUUID } from 'node:crypto';
import { signHs256, verifyHs256, type Claims } from './jwt';

export class TokenIssuer {
  private readonly key = randomBytes(32);
  /** Tokens issued before this instant (ms) are refused as expired. */
  private revokedBefore = 0;
  issued = 0;

  constructor(public lifetimeSeconds = 3599) {}

  issue(claims: Claims): { token_type: 'Bearer'; expires_in: number; ext_expires_in: number; access_token: string } {
    const now = Date.now();
    this.issued++;
    const payload = { aud: 'https://graph.microsoft.com', iss: `https://sts.windows.net/${String(claims.tid)}/`, iat: Math.floor(now / 1000), nbf: Math.floor(now / 1000), exp: Math.floor(now / 1000) + this.lifetimeSeconds, iatMs: now, uti: randomUUID(), ver: '1.0', ...claims };
    return { token_type: 'Bearer', expires_in: this.lifetimeSeconds, ext_expires_in: this.lifetimeSeconds, access_token: signHs256(payload, this.key) };
  }

  /** Makes every token issued so far invalid. */
  revokeAll(): void {
    this.revokedBefore = Date.now() + 1;
  }

  /** The claims of a valid bearer token, or why it is refused (Graph's wording). */
  check(authorization: string | undefined): { claims: Claims } | { problem: string } {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization ?? '');
    if (!m) return { problem: 'Access token is empty.' };
    const claims = verifyHs256(m[1], this.key);
    if (!claims) return { problem: 'IDX14100: JWT is not well formed, there are no dots (.).' };
    const exp = typeof claims.exp === 'number' ? claims.exp : 0;
    if (exp * 1000 <= Date.now() || Number(claims.iatMs ?? 0) < this.revokedBefore) return { problem: 'Lifetime validation failed, the token is expired.' };
    return { claims };
  }
}
