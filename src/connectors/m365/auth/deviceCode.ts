// Delegated sign-in with a device code (OAuth 2.0 device authorization grant) for operators who
// cannot use app-only credentials: msal-node prints where to enter the code, the operator signs
// in in a browser, and later tokens come silently from the in-memory cache.
import type { AccountInfo } from '@azure/msal-node';
import type { M365Settings } from '../m365Settings';
import { authFailure } from './authErrors';
import { authorityOf, graphScope, type TokenProvider } from './tokenProvider';

/** Where the sign-in instructions go; the command line prints them on stderr. */
export type DeviceCodePrompt = (message: string) => void;

let prompt: DeviceCodePrompt = (message) => console.error(message);

/** Replaces where device code instructions go (the extension shows them in a notification). */
export function setDeviceCodePrompt(next: DeviceCodePrompt): void {
  prompt = next;
}

export async function deviceCodeProvider(settings: M365Settings): Promise<TokenProvider> {
  const msal = await import('@azure/msal-node');
  const { authority, knownAuthorities } = authorityOf(settings);
  const app = new msal.PublicClientApplication({ auth: { clientId: settings.clientId, authority, knownAuthorities } });
  const scopes = [graphScope(settings)];
  let account: AccountInfo | undefined;
  return {
    async token(fresh = false) {
      try {
        if (account) {
          const silent = await app.acquireTokenSilent({ account, scopes, forceRefresh: fresh }).catch(() => null);
          if (silent?.accessToken) return silent.accessToken;
        }
        const result = await app.acquireTokenByDeviceCode({ scopes, deviceCodeCallback: (r) => prompt(r.message) });
        if (!result?.accessToken) throw new Error('the device code sign-in returned no access token');
        account = result.account ?? undefined;
        return result.accessToken;
      } catch (err) {
        throw await authFailure(err, settings);
      }
    },
  };
}
