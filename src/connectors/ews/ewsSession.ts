// One mailbox's way into Exchange Web Services: an ews-javascript-api ExchangeService (loaded on
// first use, in the runner only) that opens the mailbox the plan's way (ApplicationImpersonation
// with X-AnchorMailbox, or full-access delegation), on Ferry's transport. Every call goes through
// `call()`: at most `maxConnections` at once per server, a per-mailbox pacer that holds every call
// while Exchange asked to back off (ErrorServerBusy's BackOffMilliseconds, exponential when it
// gives none) and then spaces requests at the rate Exchange accepts, and errors turned into
// catalog codes the engine acts on.
import type * as Ews from 'ews-javascript-api';
import { ConnectorError } from '../types';
import { ewsError, ewsFailureError, type EwsFailure } from './ewsErrors';
import { Pacer } from './ewsPacer';
import type { EwsSettings, EwsVersion } from './ewsSettings';
import { callScope, EwsTransport, type CallScope } from './ewsTransport';

export type EwsLib = typeof Ews;

/**
 * ews-javascript-api, loaded on first use (~230 ms). It calls util.isNullOrUndefined, whose
 * deprecation warning would reach every operator's terminal and say nothing they can act on.
 */
export async function loadEws(): Promise<EwsLib> {
  process.noDeprecation = true;
  return import('ews-javascript-api');
}

/** Retries of one call while Exchange answers ErrorServerBusy, before the engine takes over. */
const busyRetries = 6;

/** One pacer per account and mailbox (every session of the process that opens it shares it). */
const pacers = new Map<string, Pacer>();
function pacerOf(account: string, mailbox: string): Pacer {
  const key = `${account.toLowerCase()}|${mailbox.toLowerCase()}`;
  let pacer = pacers.get(key);
  if (!pacer) pacers.set(key, (pacer = new Pacer()));
  return pacer;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const t = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => (clearTimeout(t), reject(signal.reason)), { once: true });
  });

export interface EwsCallOptions {
  signal?: AbortSignal;
  /** Item-level call: ErrorItemNotFound means the item vanished (else the mailbox or folder). */
  item?: boolean;
}

export class EwsSession {
  private constructor(
    readonly ews: EwsLib,
    readonly service: Ews.ExchangeService,
    readonly transport: EwsTransport,
    readonly settings: EwsSettings,
    readonly url: string,
  ) {}

  /** Builds the service for the settings' mailbox at `url` (found by autodiscover when the plan gives none). */
  static async open(settings: EwsSettings, url: string): Promise<EwsSession> {
    const ews = await loadEws();
    const version = ews.ExchangeVersion[(settings.version ?? 'Exchange2013_SP1') as EwsVersion];
    const service = new ews.ExchangeService(version);
    // The transport authenticates; the library insists on credentials and adds Basic, which the transport drops for NTLM and OAuth.
    service.Credentials = settings.credential.scheme === 'oauth' ? new ews.OAuthCredentials(settings.credential.secret) : new ews.WebCredentials(settings.credential.username, settings.credential.secret);
    service.Url = new ews.Uri(url);
    // Route to the mailbox's server in a multi-server organisation (and what Exchange expects with impersonation).
    const headers: Record<string, string> = { 'User-Agent': 'Ferry', ...(settings.mailbox.includes('@') ? { 'X-AnchorMailbox': settings.mailbox } : {}) };
    if (settings.access === 'impersonation') service.ImpersonatedUserId = new ews.ImpersonatedUserId(ews.ConnectingIdType.SmtpAddress, settings.mailbox);
    // Exchange counts concurrent requests per account (EWSMaxConcurrency): the account's requests on
    // this server share maxConnections across every mailbox of the process (embedded) or every worker.
    const gate = settings.requestGate;
    const account = `ews|${new URL(url).host}|${settings.credential.username.toLowerCase()}`;
    const transport = new EwsTransport(settings.credential, { maxConnections: settings.maxConnections, allowInvalidCertificates: settings.allowInvalidCertificates, headers, ...(gate ? { gate: () => gate.acquire(account, settings.maxConnections) } : {}) });
    service.XHRApi = transport as unknown as Ews.IXHRApi;
    return new EwsSession(ews, service, transport, settings, url);
  }

  get mailbox(): string {
    return this.settings.mailbox;
  }

  /** A well-known folder of this mailbox (with the mailbox named under delegation). */
  wellKnown(name: Ews.WellKnownFolderName): Ews.FolderId {
    return this.settings.access === 'delegation' ? new this.ews.FolderId(name, new this.ews.Mailbox(this.mailbox)) : new this.ews.FolderId(name);
  }

  /** Runs one EWS operation; errors come back as ConnectorErrors with catalog codes. */
  async call<T>(what: string, operation: () => Promise<T>, options: EwsCallOptions = {}): Promise<T> {
    const pacer = pacerOf(this.settings.credential.username, this.mailbox);
    for (let attempt = 0; ; attempt++) {
      const wait = pacer.reserve();
      if (wait > 0) await sleep(wait, options.signal);
      options.signal?.throwIfAborted();
      const scope: CallScope = {};
      try {
        const result = await callScope.run(scope, operation);
        pacer.succeeded();
        return result;
      } catch (err) {
        const error = this.toError(err, scope.failure, what, options);
        if (error.code !== 'EWS-SERVER-BUSY') throw error;
        // Every call of this mailbox waits until Exchange's budget has refilled, then goes at the learnt pace.
        const backOff = pacer.busy(error.retryAfterMs);
        if (attempt >= busyRetries) throw new ConnectorError(error.code, error.message, 'transient', error.args, backOff);
      }
    }
  }

  /** Whatever an operation threw, as a ConnectorError. */
  private toError(err: unknown, failure: EwsFailure | undefined, what: string, options: EwsCallOptions): ConnectorError {
    if (err instanceof ConnectorError) return err;
    const context = { mailbox: this.mailbox, what, where: new URL(this.url).host };
    // A per-response error of the library (ServiceResponseException): its ErrorCode names the ResponseCode.
    // The transport's reading of a failed HTTP exchange wins: the library files every one as ErrorInternalServerError.
    const code = failure?.responseCode ?? responseCodeOf(this.ews, err);
    const message = failure?.message ?? messageOf(err);
    if (!code) return ewsError('EWS-INTERNAL', [this.mailbox, what, message, context.where]);
    if (code === 'ErrorItemNotFound' && !options.item) return ewsFailureError({ responseCode: 'ErrorFolderNotFound', message }, context);
    return ewsFailureError({ ...failure, responseCode: code, message }, context);
  }

  close(): void {
    this.transport.disconnect();
  }
}

/** The ResponseCode name of a library exception (ServiceResponseException.ErrorCode is the ServiceError enum). */
export function responseCodeOf(ews: EwsLib, err: unknown): string | undefined {
  const e = err as { ErrorCode?: unknown; Response?: { ErrorCode?: unknown }; ResponseCode?: unknown };
  for (const v of [e?.ErrorCode, e?.Response?.ErrorCode, e?.ResponseCode]) {
    if (typeof v === 'number' && ews.ServiceError[v] !== undefined && v !== ews.ServiceError.NoError) return ews.ServiceError[v];
    if (typeof v === 'string' && v && v !== 'NoError') return v;
  }
  return undefined;
}

export function messageOf(err: unknown): string {
  const e = err as { message?: unknown; Message?: unknown; ErrorMessage?: unknown; Response?: { ErrorMessage?: unknown } };
  for (const v of [e?.Response?.ErrorMessage, e?.ErrorMessage, e?.message, e?.Message]) if (typeof v === 'string' && v) return v;
  return String(err);
}

/** Schema versions tried, newest first, when the plan pins none: Exchange 2013 and later, then 2010 SP2 down to 2007 SP1. */
const negotiated: readonly EwsVersion[] = ['Exchange2013_SP1', 'Exchange2010_SP2', 'Exchange2010_SP1', 'Exchange2010', 'Exchange2007_SP1'];
/** The version each EWS URL accepted, so later mailboxes skip the probing. */
const acceptedVersions = new Map<string, EwsVersion>();

/**
 * Runs `attempt` on a session opened with the plan's version or, when it pins none, the newest
 * schema the server takes: an older Exchange refuses a newer RequestServerVersion
 * (ErrorInvalidServerVersion) and is asked again with the next older one. A failed attempt's
 * session is closed; the caller owns the one that succeeded.
 */
export async function withNegotiatedVersion<T>(settings: EwsSettings, url: string, attempt: (session: EwsSession) => Promise<T>): Promise<{ side: T; version: EwsVersion }> {
  const known = acceptedVersions.get(url);
  const versions = settings.version ? [settings.version] : known ? [known, ...negotiated.filter((v) => v !== known)] : negotiated;
  for (const [i, version] of versions.entries()) {
    const session = await EwsSession.open({ ...settings, version }, url);
    try {
      const side = await attempt(session);
      acceptedVersions.set(url, version);
      return { side, version };
    } catch (err) {
      session.close();
      if (!(err instanceof ConnectorError && err.code === 'EWS-SCHEMA-VERSION' && i < versions.length - 1)) throw err;
    }
  }
  throw new Error('no EWS version to try');
}
