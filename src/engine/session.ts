// Opens both sides of one mailbox: secrets resolved, connectors found, one connection per side
// counted against its endpoint's limit, logins retried on transient errors. Both sides log in at
// once; a source that asks the destination which formats it takes (opaque full fidelity, or MIME)
// waits for the destination's login.
import { ConnectorError, type Connector, type DestinationMailbox, type OpaqueAcceptance, type OpenMailboxRequest, type SourceMailbox } from '../connectors/types';
import type { AuthSettings, PlanEndpoint } from '../plan/model';
import { withRetries } from './backoff';
import { endpointLimiter, type PassContext } from './context';
import type { MailboxJob } from './job';
import { namesFor, secretEnvName } from './secrets';

export interface MailboxSession {
  source: SourceMailbox;
  /**
   * The destination, logged in: with the source, or (`destinationLater`) on the first call, once
   * the pass knows it has something to do there. Its login errors are the session's login errors.
   */
  destination(): Promise<DestinationMailbox>;
  close(): Promise<void>;
}

function resolveSecrets(ctx: PassContext, endpoint: PlanEndpoint, auth: AuthSettings | undefined): Map<string, string> {
  const values = new Map<string, string>();
  for (const name of namesFor(endpoint, auth)) {
    const value = ctx.secrets(name);
    if (value === undefined) throw new ConnectorError('ENG-051', `secret ${name} is not set`, 'mailbox', [name, secretEnvName(name)]);
    values.set(name, value);
  }
  return values;
}

async function connectorFor(ctx: PassContext, endpoint: PlanEndpoint) {
  const connector = endpoint.type ? await ctx.connectors(endpoint.type) : undefined;
  if (!connector) throw new ConnectorError('ENG-050', `no connector for ${endpoint.type}`, 'mailbox', [endpoint.name, String(endpoint.type)]);
  return connector;
}

/**
 * The source's question to the destination: does it take opaque items? Asked of the server once
 * (a failed question is asked again on the next login attempt); a refusal with a reason is
 * reported once per mailbox as a notice: full fidelity was not available, and the fix.
 */
function opaqueQuestion(job: MailboxJob, ctx: PassContext, opened: () => Promise<DestinationMailbox>): () => Promise<OpaqueAcceptance> {
  let answer: OpaqueAcceptance | undefined;
  return async () => {
    if (answer) return answer;
    const destination = await opened();
    answer = destination.acceptsOpaque ? await destination.acceptsOpaque() : { accepted: false };
    if (!answer.accepted && answer.reason) ctx.events.emit({ type: 'notice', batch: job.batch, item: job.source, code: answer.reason.code, message: answer.reason.message });
    return answer;
  };
}

/** The connector has no quiet probe for this server (openSession's `quietProbe`). */
export class NoQuietProbe extends Error {
  override readonly name = 'NoQuietProbe';
}

async function probeOf(connector: Connector, request: OpenMailboxRequest): Promise<SourceMailbox> {
  const probe = await connector.openQuietProbe?.(request);
  if (!probe) throw new NoQuietProbe(`no quiet probe for ${request.mailbox}`);
  return probe;
}

/**
 * `quietProbe`: the source is the connector's quiet probe (Connector.openQuietProbe; NoQuietProbe
 * where it has none), for a delta's quiet check only.
 * `destinationLater`: log in to the source only; the destination logs in on the first call of
 * `destination()` (a delta with nothing to carry never connects to it). Its slot of the
 * endpoint's connections is taken now all the same, in the order every session takes them.
 */
export async function openSession(job: MailboxJob, ctx: PassContext, options: { destinationLater?: boolean; quietProbe?: boolean } = {}): Promise<MailboxSession> {
  const releases: (() => void)[] = [];
  const closers: (() => Promise<void>)[] = [];
  let opening: Promise<DestinationMailbox> | undefined;
  // Both sides log out at once.
  const close = async () => {
    await opening?.catch(() => undefined);
    await Promise.all(closers.splice(0).map((c) => c().catch(() => undefined)));
    for (const r of releases) r();
  };
  const prepare = async (endpoint: PlanEndpoint, auth: AuthSettings | undefined, mailbox: string, peer: PlanEndpoint) => {
    const connector = await connectorFor(ctx, endpoint);
    const used = auth ?? endpoint.auth;
    const secrets = resolveSecrets(ctx, endpoint, used);
    const limiter = endpointLimiter(ctx, endpoint.name, endpoint.settings);
    releases.push(await limiter.acquire(ctx.signal));
    return { connector, request: { spareConnection: () => limiter.tryAcquire(), endpoint, planDir: job.planDir, mailbox, credentials: { auth: used, secrets }, signal: ctx.signal, options: job.options, ...(peer.type ? { peerType: peer.type } : {}), ...(job.pass === 'verify' ? { readOnly: true } : {}), ...(ctx.requestGate ? { requestGate: ctx.requestGate } : {}) } };
  };
  try {
    // Slots in one order (destination, then source), as every session takes them; then both logins at once.
    const dst = await prepare(job.destinationEndpoint, job.destinationAuth, job.destination, job.sourceEndpoint);
    const src = await prepare(job.sourceEndpoint, job.sourceAuth, job.source, job.destinationEndpoint);
    const destination = () =>
      (opening ??= withRetries(`log in to the destination ${job.destination}`, () => dst.connector.openDestination(dst.request), ctx.retry, ctx.signal).then((d) => {
        closers.push(() => d.close());
        return d;
      }));
    const request: OpenMailboxRequest = { ...src.request, peerAcceptsOpaque: opaqueQuestion(job, ctx, destination) };
    const [opened, source] = await Promise.allSettled([options.destinationLater ? undefined : destination(), withRetries(`log in to the source ${job.source}`, () => (options.quietProbe ? probeOf(src.connector, request) : src.connector.openSource(request)), ctx.retry, ctx.signal)]);
    if (source.status === 'fulfilled') closers.push(() => source.value.close());
    // The destination's failure first, as when it logged in before the source.
    if (opened.status === 'rejected') throw opened.reason;
    if (source.status === 'rejected') throw source.reason;
    return { source: source.value, destination, close };
  } catch (err) {
    await close();
    throw err;
  }
}
