// Authentication the way Exchange's IIS does it: 401 challenges for the enabled schemes,
// Basic, connection-bound NTLM (Negotiate carrying NTLM too) and Bearer tokens from the config.
import * as crypto from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import type { EwsStore, FakeEwsUser } from './data';
import { challengeMessage, clientAvPairs, messageType, MSV_AV_CHANNEL_BINDINGS, parseAuthenticate, parseNegotiate, verifyNtlmV2 } from './ntlm';

interface ConnState { user?: FakeEwsUser; challenge?: Buffer }
const connections = new WeakMap<Socket, ConnState>();

export type AuthResult = { user: FakeEwsUser } | { status: 401; headers: string[] };

/** Extended Protection on a TLS connection: the channel bindings NTLM must carry, and whether it must. */
export interface ChannelBindingPolicy { expected: Buffer; mode: 'Allow' | 'Require' }

/** True when an NTLMv2 AUTHENTICATE message meets the policy (an all-zero value, which a client without a binding sends, counts as absent). */
function bound(auth: ReturnType<typeof parseAuthenticate>, policy: ChannelBindingPolicy | undefined): boolean {
  if (!policy) return true;
  const given = clientAvPairs(auth).get(MSV_AV_CHANNEL_BINDINGS);
  if (!given || given.equals(Buffer.alloc(given.length))) return policy.mode === 'Allow';
  return given.equals(policy.expected);
}

export function findLogin(store: EwsStore, login: string): FakeEwsUser | undefined {
  const l = login.toLowerCase();
  const org = store.config.organization;
  return store.config.users.find((u) => {
    const [dom, name] = u.login.toLowerCase().split('\\');
    const upn = (u.upn ?? u.address).toLowerCase();
    if (l === upn || l === u.address.toLowerCase() || l === u.login.toLowerCase()) return true;
    const [ld, ln] = l.includes('\\') ? l.split('\\') : ['', l];
    return ln === name && (ld === dom || ld === org.dnsDomain.toLowerCase() || ld === org.netbiosDomain.toLowerCase());
  });
}

export function challenges(store: EwsStore, host: string, bearerError?: string): string[] {
  const out: string[] = [];
  for (const s of store.config.authSchemes) {
    if (s === 'Negotiate') out.push('Negotiate');
    if (s === 'NTLM') out.push('NTLM');
    if (s === 'Basic') out.push(`Basic realm="${host}"`);
    if (s === 'Bearer') out.push(`Bearer client_id="00000002-0000-0ff1-ce00-000000000000", trusted_issuers="00000001-0000-0000-c000-000000000000@*", token_types="app_asserted_user_v1 service_asserted_app_v1", authorization_uri="https://login.microsoftonline.com/common/oauth2/authorize"${bearerError ? `, error="${bearerError}"` : ''}`);
  }
  return out;
}

export function authenticate(store: EwsStore, req: IncomingMessage, binding?: ChannelBindingPolicy): AuthResult {
  const host = (req.headers.host ?? '127.0.0.1').replace(/:\d+$/, '');
  const deny = (bearerError?: string): AuthResult => ({ status: 401, headers: challenges(store, host, bearerError) });
  const socket = req.socket;
  const conn = connections.get(socket) ?? {};
  connections.set(socket, conn);
  const header = req.headers.authorization;
  if (!header) return conn.user ? { user: conn.user } : deny();
  const sp = header.indexOf(' ');
  const scheme = (sp === -1 ? header : header.slice(0, sp)).toLowerCase();
  const token = sp === -1 ? '' : header.slice(sp + 1).trim();
  const enabled = (s: string) => store.config.authSchemes.some((x) => x.toLowerCase() === s);
  if (scheme === 'basic' && enabled('basic')) {
    const decoded = Buffer.from(token, 'base64').toString('utf8');
    const i = decoded.indexOf(':');
    const user = i > 0 ? findLogin(store, decoded.slice(0, i)) : undefined;
    if (user && user.password === decoded.slice(i + 1)) return { user };
    return deny();
  }
  if ((scheme === 'ntlm' && enabled('ntlm')) || (scheme === 'negotiate' && enabled('negotiate'))) {
    const buf = Buffer.from(token, 'base64');
    const type = messageType(buf);
    const label = scheme === 'ntlm' ? 'NTLM' : 'Negotiate';
    if (type === 1) {
      const org = store.config.organization;
      conn.challenge = crypto.randomBytes(8);
      conn.user = undefined;
      const msg = challengeMessage(parseNegotiate(buf).flags, conn.challenge, org.netbiosDomain, org.serverName, org.dnsDomain);
      return { status: 401, headers: [`${label} ${msg.toString('base64')}`] };
    }
    if (type === 3 && conn.challenge) {
      const challenge = conn.challenge;
      conn.challenge = undefined;
      try {
        const auth = parseAuthenticate(buf);
        const user = findLogin(store, auth.domain ? `${auth.domain}\\${auth.user}` : auth.user);
        if (user && verifyNtlmV2(auth, challenge, user.password) && bound(auth, binding)) {
          conn.user = user;
          return { user };
        }
      } catch {
        // falls through to a fresh challenge
      }
    }
    return deny();
  }
  if (scheme === 'bearer' && enabled('bearer')) {
    const user = store.config.users.find((u) => (u.bearerTokens ?? []).includes(token));
    return user ? { user } : deny('invalid_token');
  }
  return deny();
}
