// Compact JWTs: the fake's own access tokens (HS256 with a key made at start: JWT-like bearer
// strings with an expiry, as opaque to clients as Microsoft's) and the RS256/PS256 client
// assertions msal-node signs with an app certificate's key.
import { constants, createHmac, createPublicKey, timingSafeEqual, verify } from 'node:crypto';

export type Claims = Record<string, unknown>;

const b64url = (data: Buffer | string) => Buffer.from(data).toString('base64url');

export function decodePart(part: string): Claims | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Claims) : undefined;
  } catch {
    return undefined;
  }
}

/** The header and payload of a JWT without checking anything. */
export function decodeJwt(token: string): { header: Claims; payload: Claims; signingInput: string; signature: Buffer } | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const header = decodePart(parts[0]);
  const payload = decodePart(parts[1]);
  if (!header || !payload) return undefined;
  return { header, payload, signingInput: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
}

export function signHs256(payload: Claims, key: Buffer): string {
  const input = `${b64url(JSON.stringify({ typ: 'JWT', alg: 'HS256' }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(createHmac('sha256', key).update(input).digest())}`;
}

/** The payload when the HS256 signature is right (expiry is the caller's business). */
export function verifyHs256(token: string, key: Buffer): Claims | undefined {
  const jwt = decodeJwt(token);
  if (!jwt || jwt.header.alg !== 'HS256') return undefined;
  const expected = createHmac('sha256', key).update(jwt.signingInput).digest();
  return expected.length === jwt.signature.length && timingSafeEqual(expected, jwt.signature) ? jwt.payload : undefined;
}

/** Whether an RS256 or PS256 signature verifies with the certificate's public key. */
export function verifyWithCertificate(signingInput: string, signature: Buffer, alg: unknown, certificatePem: string): boolean {
  const key = createPublicKey(certificatePem);
  if (alg === 'RS256') return verify('sha256', Buffer.from(signingInput), key, signature);
  if (alg === 'PS256') return verify('sha256', Buffer.from(signingInput), { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: constants.RSA_PSS_SALTLEN_DIGEST }, signature);
  return false;
}
