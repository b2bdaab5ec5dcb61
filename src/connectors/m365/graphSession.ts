// One mailbox's way into Microsoft Graph: a @microsoft/microsoft-graph-client Client (loaded on
// first use) whose middleware is authentication, the immutable-id preference (immutableIds.ts) and
// the HTTP call, so Ferry's engine, not the library, decides about retries (it honours
// Retry-After). Requests wait for one of the mailbox's 4 slots, then for one of the app's slots in
// the tenant (maxTenantRequests, shared by every mailbox of the process or of every distributed
// worker through the RequestGate); a 401 gets one retry with a freshly signed-in token (tokens
// expire mid-pass).
import type { Client } from '@microsoft/microsoft-graph-client';
import { ConnectorError } from '../types';
import { tokenProvider } from './auth/tokenProvider';
import { toGraphError, type GraphErrorContext } from './graphErrors';
import { ImmutableIdsHandler } from './immutableIds';
import { mailboxLimiter, type Semaphore } from './mailboxLimiter';
import { defaultMaxTenantRequests, type M365Settings } from './m365Settings';

export type GraphCallOptions = Partial<Pick<GraphErrorContext, 'sizeBytes' | 'mailboxLevel'>> & {
  /** Requests Graph runs side by side for this call (a $batch's sub-requests): the mailbox and tenant slots it takes. */
  slots?: number;
};

export class GraphSession {
  private constructor(
    private readonly client: Client,
    /** Set after a 401: the next token skips msal's cache. */
    private readonly token: { fresh: boolean },
    private readonly limiter: Semaphore,
    readonly settings: M365Settings,
    /** The mailbox address as the plan names it. */
    readonly mailbox: string,
  ) {}

  /** Signs in (or reuses the app's cached token) and builds the client for one mailbox. */
  static async open(settings: M365Settings, mailbox: string): Promise<GraphSession> {
    const tokens = await tokenProvider(settings);
    await tokens.token();
    const graph = await import('@microsoft/microsoft-graph-client');
    // The session asks for a fresh token after a 401; the client reads it here.
    const state = { fresh: false };
    const authProvider = {
      getAccessToken: async () => {
        const fresh = state.fresh;
        state.fresh = false;
        return tokens.token(fresh);
      },
    };
    const client = graph.Client.initWithMiddleware({
      middleware: [new graph.AuthenticationHandler(authProvider), new ImmutableIdsHandler(), new graph.HTTPMessageHandler()],
      baseUrl: `${settings.graphEndpoint}/`,
      defaultVersion: 'v1.0',
      // The client sends the token only to Microsoft's Graph hosts and to these (national clouds, the test fake).
      customHosts: new Set([new URL(settings.graphEndpoint).hostname]),
    });
    return new GraphSession(client, state, mailboxLimiter(settings.clientId, mailbox), settings, mailbox);
  }

  /** The user segment of a path: `/users/{address}`. */
  get userPath(): string {
    return `/users/${encodeURIComponent(this.mailbox)}`;
  }

  /** Holds every request of the mailbox for `ms` (Graph's Retry-After) and resolves when it has passed. */
  async holdMailbox(ms: number): Promise<void> {
    this.limiter.pause(Date.now() + ms);
    (await this.limiter.acquire())();
  }

  /** Graph counts limits per app per tenant too: the gate's key for this app, tenant and cloud. */
  private get tenantKey(): string {
    const s = this.settings;
    return `graph|${new URL(s.graphEndpoint).host}|${s.tenantId.toLowerCase()}|${s.clientId.toLowerCase()}`;
  }

  /** Runs one Graph request within the mailbox's and the tenant's concurrency limits; errors come back as catalog codes. */
  async call<T>(what: string, request: (client: Client) => Promise<T>, options: GraphCallOptions = {}): Promise<T> {
    // A $batch's sub-requests run side by side at Graph and each counts against the mailbox's limit.
    const releaseMailbox = await this.limiter.acquire(options.slots);
    let releaseTenant: (() => void) | undefined;
    const release = () => {
      releaseTenant?.();
      releaseMailbox();
    };
    try {
      releaseTenant = await this.settings.requestGate?.acquire(this.tenantKey, this.settings.maxTenantRequests ?? defaultMaxTenantRequests, options.slots);
      try {
        return await request(this.client);
      } catch (err) {
        if ((err as { statusCode?: number }).statusCode !== 401) throw err;
        // The token expired or was revoked before msal's clock said so: sign in again, once.
        this.token.fresh = true;
        return await request(this.client);
      }
    } catch (err) {
      const error = toGraphError(err, { mailbox: this.mailbox, what, host: new URL(this.settings.graphEndpoint).host, ...options });
      // A 429 spends the mailbox's budget for all its requests: hold them all, not only this one.
      if (error instanceof ConnectorError && error.retryAfterMs !== undefined && error.disposition === 'transient') this.limiter.pause(Date.now() + error.retryAfterMs);
      throw error;
    } finally {
      release();
    }
  }
}
