// Delegated sign-in with a device code (OAuth 2.0 device authorization grant) for operators who
// cannot use app-only credentials: the operator is told where to enter the code (stderr on the
// command line, a notification in VS Code), signs in in a browser, and later tokens come silently
// from the token cache (in memory, or persisted by the extension: tokenCache.ts).
import type { AccountInfo } from '@azure/msal-node';
import type { M365Settings } from '../m365Settings';
import { authFailure } from './authErrors';
import { cachePlugin } from './tokenCache';
import { authorityOf, graphScope, type TokenProvider } from './tokenProvider';

export interface DeviceCodeRequest {
  /** Microsoft's sentence: where to go and which code to enter. */
  message: string;
  userCode: string;
  verificationUri: string;
}

/** Where the sign-in instructions go; the command line prints them on stderr. */
export type DeviceCodePrompt = (request: DeviceCodeRequest) => void;

let prompt: DeviceCodePrompt = (request) => console.error(request.message);

/** Replaces where device code instructions go (the extension shows them in a notification). */
export function setDeviceCodePrompt(next: DeviceCodePrompt): void {
  prompt = next;
}

export async function deviceCodeProvider(settings: M365Settings, cacheKey: string): Promise<TokenProvider> {
  const msal = await import('@azure/msal-node');
  const { authority, knownAuthorities } = authorityOf(settings);
  const app = new msal.PublicClientApplication({ auth: { clientId: settings.clientId, authority, knownAuthorities }, cache: { cachePlugin: cachePlugin(cacheKey) } });
  const scopes = [graphScope(settings)];
  // An account signed in by an earlier run (a persisted cache) needs no new device code.
  let account: AccountInfo | undefined = (await app.getTokenCache().getAllAccounts())[0];
  // One sign-in at a time: the mailboxes of a pass ask for tokens together, the operator enters one code.
  let signingIn: Promise<string> | undefined;
  const signIn = async (): Promise<string> => {
    const result = await app.acquireTokenByDeviceCode({ scopes, deviceCodeCallback: (r) => prompt({ message: r.message, userCode: r.userCode, verificationUri: r.verificationUri }) });
    if (!result?.accessToken) throw new Error('the device code sign-in returned no access token');
    account = result.account ?? undefined;
    return result.accessToken;
  };
  return {
    async token(fresh = false) {
      try {
        if (account) {
          const silent = await app.acquireTokenSilent({ account, scopes, forceRefresh: fresh }).catch(() => null);
          if (silent?.accessToken) return silent.accessToken;
        }
        signingIn ??= signIn().finally(() => (signingIn = undefined));
        return await signingIn;
      } catch (err) {
        throw await authFailure(err, settings);
      }
    },
  };
}
