// Access tokens for Graph from @azure/msal-node, loaded only when an m365 endpoint is used. One
// msal application per (authority, app, credential) for the whole process, so every mailbox of a
// pass shares its token cache: in memory on the command line (nothing on disk), persisted in
// SecretStorage by the extension through the runner (tokenCache.ts).
import { createHash, X509Certificate } from 'node:crypto';
import type { M365Settings } from '../m365Settings';
import { authFailure } from './authErrors';
import { cachePlugin, clearMemoryTokenCaches } from './tokenCache';

export interface TokenProvider {
  /** A bearer token for Graph; `fresh` skips the cache (after Graph refused the cached one). */
  token(fresh?: boolean): Promise<string>;
}

const providers = new Map<string, TokenProvider>();

/** The host (and port) msal must trust as an authority without asking Microsoft's instance discovery. */
export function authorityOf(settings: M365Settings): { authority: string; knownAuthorities: string[] } {
  const url = new URL(settings.authorityHost);
  return { authority: `${settings.authorityHost}/${settings.tenantId}`, knownAuthorities: [url.host] };
}

/** The `/.default` scope of the Graph resource the endpoint names. */
export function graphScope(settings: M365Settings): string {
  return `${settings.graphEndpoint}/.default`;
}

function cacheKey(s: M365Settings): string {
  const c = s.credential;
  const proof = c.kind === 'secret' ? c.clientSecret : c.kind === 'certificate' ? `${c.thumbprint}|${c.privateKey}` : 'device';
  return createHash('sha256').update([s.authorityHost, s.tenantId, s.clientId, c.kind, proof].join('\0')).digest('hex');
}

/** The msal clientCertificate option: SHA-256 thumbprint when the certificate itself is known, else the plan's SHA-1 one. */
function certificateOption(c: Extract<M365Settings['credential'], { kind: 'certificate' }>) {
  if (c.certificate) {
    const sha256 = createHash('sha256').update(new X509Certificate(c.certificate).raw).digest('hex');
    return { thumbprintSha256: sha256, privateKey: c.privateKey };
  }
  return { thumbprint: c.thumbprint, privateKey: c.privateKey };
}

async function confidentialProvider(settings: M365Settings, key: string): Promise<TokenProvider> {
  const msal = await import('@azure/msal-node');
  const c = settings.credential;
  const { authority, knownAuthorities } = authorityOf(settings);
  const app = new msal.ConfidentialClientApplication({
    auth: {
      clientId: settings.clientId,
      authority,
      knownAuthorities,
      ...(c.kind === 'secret' ? { clientSecret: c.clientSecret } : c.kind === 'certificate' ? { clientCertificate: certificateOption(c) } : {}),
    },
    cache: { cachePlugin: cachePlugin(key) },
    system: { loggerOptions: { piiLoggingEnabled: false, logLevel: msal.LogLevel.Error, loggerCallback: () => undefined } },
  });
  const scopes = [graphScope(settings)];
  return {
    async token(fresh = false) {
      try {
        const result = await app.acquireTokenByClientCredential({ scopes, skipCache: fresh });
        if (!result?.accessToken) throw new Error('the sign-in returned no access token');
        return result.accessToken;
      } catch (err) {
        throw await authFailure(err, settings);
      }
    },
  };
}

/** The token provider of an endpoint's app, created on first use and shared afterwards. */
export async function tokenProvider(settings: M365Settings): Promise<TokenProvider> {
  const key = cacheKey(settings);
  let provider = providers.get(key);
  if (!provider) {
    provider = settings.credential.kind === 'deviceCode' ? await (await import('./deviceCode.js')).deviceCodeProvider(settings, key) : await confidentialProvider(settings, key);
    providers.set(key, provider);
  }
  return provider;
}

/** Forgets every msal application and the in-memory caches (tests start each fake tenant afresh). */
export function resetTokenProviders(): void {
  providers.clear();
  clearMemoryTokenCaches();
}
