// What every mailbox worker of a pass shares: the store, events, connectors, secrets, limits.
import type { Connector, RequestGate } from '../connectors/types';
import type { EndpointType } from '../plan/model';
import type { Store } from '../store/store';
import type { RetryPolicy } from './backoff';
import type { EngineEvents } from './events';
import { Limiter } from './limiter';
import type { SecretSource } from './secrets';

/** The connector for an endpoint kind; undefined when this Ferry has none. */
export type ConnectorLookup = (kind: EndpointType) => Promise<Connector | undefined>;

export interface PassContext {
  store: Store;
  events: EngineEvents;
  connectors: ConnectorLookup;
  secrets: SecretSource;
  retry: RetryPolicy;
  signal: AbortSignal;
  now: () => Date;
  /** Wait for startAfter (runner) rather than report Waiting and move on (one-shot command line). */
  waitForSchedule: boolean;
  /** Per endpoint name: bounds the connections open to it at once. */
  endpointLimiters: Map<string, Slots>;
  /** Makes an endpoint's bound (default: in this process; distributed workers share theirs). */
  newEndpointLimiter?: (name: string, max: number) => Slots;
  /** Budgets a service counts per account: this process's (embedded) or every worker's (distributed, Redis). */
  requestGate?: RequestGate;
}

/** A bound on holders at once: the in-process Limiter, or slots shared by distributed workers. */
export interface Slots {
  readonly limit: number;
  acquire(signal?: AbortSignal): Promise<() => void>;
  /** A slot if one is free now and nobody waits for one; undefined otherwise (never waits). */
  tryAcquire(): (() => void) | undefined;
}

export const defaultMaxConnections = 10;

/** The limiter of an endpoint, made on first use from its maxConnections setting. */
export function endpointLimiter(ctx: PassContext, name: string, settings: Readonly<Record<string, unknown>>): Slots {
  let limiter = ctx.endpointLimiters.get(name);
  if (!limiter) {
    const max = typeof settings.maxConnections === 'number' && settings.maxConnections >= 1 ? settings.maxConnections : defaultMaxConnections;
    limiter = ctx.newEndpointLimiter ? ctx.newEndpointLimiter(name, max) : new Limiter(max);
    ctx.endpointLimiters.set(name, limiter);
  }
  return limiter;
}
