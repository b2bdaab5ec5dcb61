// One Workspace user's session: tokens through the service account (gmailAuth), Google's own
// client libraries (@googleapis/gmail, calendar, people; loaded on first use) pointed at the
// endpoint's API root, and every call paced to the user's quota (quotaPacer) with its refusals
// turned into GMAIL- codes (gmailErrors). A rate refusal holds the user's pacer and is thrown as a
// transient error: the engine waits (ENG-013 notice) and asks again, other users go on.
import type { OAuth2Client } from 'google-auth-library';
import type { gmail_v1 } from '@googleapis/gmail';
import type { calendar_v3 } from '@googleapis/calendar';
import type { people_v1 } from '@googleapis/people';
import { ServiceAccountTokens, type ScopeName } from './gmailAuth';
import { googleError, type GoogleCallContext } from './gmailErrors';
import type { GmailSettings } from './gmailSettings';
import { userPacer, type QuotaApi, type QuotaPacer } from './quotaPacer';

/** Shared per service account, so a pass's many mailboxes reuse one token cache. */
const tokenCaches = new Map<string, ServiceAccountTokens>();

export function tokensFor(settings: GmailSettings): ServiceAccountTokens {
  const key = `${settings.clientEmail}\n${settings.tokenUrl}\n${settings.privateKey}`;
  let tokens = tokenCaches.get(key);
  if (!tokens) tokenCaches.set(key, (tokens = new ServiceAccountTokens(settings)));
  return tokens;
}

export class GmailSession {
  private readonly clients = new Map<ScopeName, Promise<OAuth2Client>>();
  private gmailApi?: Promise<gmail_v1.Gmail>;
  private calendarApi?: Promise<calendar_v3.Calendar>;
  private peopleApi?: Promise<people_v1.People>;

  constructor(
    readonly settings: GmailSettings,
    readonly user: string,
    private readonly tokens: ServiceAccountTokens = tokensFor(settings),
  ) {}

  /** An OAuth2Client whose tokens come from the service account (renewed before they expire). */
  auth(scope: ScopeName): Promise<OAuth2Client> {
    let client = this.clients.get(scope);
    if (!client) {
      client = import('google-auth-library').then(({ OAuth2Client }) => {
        const c = new OAuth2Client();
        c.refreshHandler = async () => {
          const t = await this.tokens.token(this.user, scope);
          return { access_token: t.token, expiry_date: t.expiresAt };
        };
        return c;
      });
      this.clients.set(scope, client);
    }
    return client;
  }

  /** Checks that a token for `scope` is issued now (sign-in errors surface at open, not mid-pass). */
  async signIn(scope: ScopeName, signal?: AbortSignal): Promise<void> {
    await this.tokens.token(this.user, scope, signal);
  }

  private options(auth: OAuth2Client) {
    return { auth, retry: false, ...(this.settings.apiRootUrl ? { rootUrl: this.settings.apiRootUrl } : {}) };
  }

  gmail(): Promise<gmail_v1.Gmail> {
    this.gmailApi ??= Promise.all([import('@googleapis/gmail'), this.auth('mail')]).then(([m, auth]) => m.gmail({ version: 'v1', ...this.options(auth) }));
    return this.gmailApi;
  }

  calendar(): Promise<calendar_v3.Calendar> {
    this.calendarApi ??= Promise.all([import('@googleapis/calendar'), this.auth('calendar')]).then(([m, auth]) => m.calendar({ version: 'v3', ...this.options(auth) }));
    return this.calendarApi;
  }

  people(): Promise<people_v1.People> {
    this.peopleApi ??= Promise.all([import('@googleapis/people'), this.auth('contacts')]).then(([m, auth]) => m.people({ version: 'v1', ...this.options(auth) }));
    return this.peopleApi;
  }

  pacer(api: QuotaApi): QuotaPacer {
    return userPacer(api, this.user);
  }

  /** One API call: paced (`units` of the user's `api` quota), errors as GMAIL- codes. */
  async call<T>(api: QuotaApi, units: number, what: string, op: () => Promise<{ data: T }>, options: { signal?: AbortSignal; item?: GoogleCallContext['item'] } = {}): Promise<T> {
    const pacer = this.pacer(api);
    await pacer.take(units, options.signal);
    try {
      const { data } = await op();
      pacer.accepted();
      return data;
    } catch (err) {
      const error = googleError(err, { mailbox: this.user, what, ...(options.item ? { item: options.item } : {}) });
      if (error.code === 'GMAIL-RATE') pacer.refused(error.retryAfterMs);
      throw error;
    }
  }
}
