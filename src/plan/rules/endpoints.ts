// Endpoints: every reference names a defined endpoint that can play its role, every endpoint is
// used, and the connection settings are ones that will still work on migration night.
// EXCH-07 args: [name, role]                        data: {name, role, available: endpoints that can play the role, closest name first}
// PLAN-027 args: [name, type, role]                 data: {name, type, role, available}
// PLAN-030 args: [name]                             data: {name}
// PLAN-033 args: [name, host]                       data: {host}
// PLAN-034 args: [name, host]                       data: {host}
// PLAN-040 args: [name, port, security, expectedPort]   data: {port, security, expectedPort}
// PLAN-043 args: [name, authorizationIdentity]      data: {authorizationIdentity}
// PLAN-053 args: [name, what does not fit]          data: {mechanism?}
import { endpointRoles, endpointTypes, type EndpointType } from '../model';
import { at, endpointReferences, isObj, locatedBatches, nonEmpty, root } from './located';
import type { Rule } from './ruleContext';

const isType = (t: unknown): t is EndpointType => (endpointTypes as readonly unknown[]).includes(t);

function endpointEntries(value: unknown): [string, Record<string, unknown>][] {
  const endpoints = at(value, 'endpoints');
  if (!isObj(endpoints)) return [];
  return Object.entries(endpoints).filter((e): e is [string, Record<string, unknown>] => isObj(e[1]));
}

/** Edit distance, to offer the endpoint the author most likely meant first. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

/** Endpoints that can play a role (untyped ones too: their type is the schema's finding); for a typo, closest name first. */
function candidates(endpoints: unknown, role: 'source' | 'destination', near: string, byName: boolean): string[] {
  if (!isObj(endpoints)) return [];
  const fits = Object.keys(endpoints).filter((name) => {
    const type = at(endpoints, name, 'type');
    return name !== near && (!isType(type) || endpointRoles[type][role]);
  });
  if (!byName) return fits;
  const lower = near.toLowerCase();
  return fits
    .map((name, order) => ({ name, order, d: distance(lower, name.toLowerCase()) }))
    .sort((a, b) => a.d - b.d || a.order - b.order)
    .map((c) => c.name);
}

/** EXCH-07 for undefined names, PLAN-027 for a type that cannot play the role; `available` feeds the pick-existing fix. */
export const endpointReferencesExist: Rule = (ctx) => {
  const endpoints = at(root(ctx), 'endpoints');
  const defined = isObj(endpoints) ? Object.keys(endpoints) : [];
  for (const ref of endpointReferences(ctx)) {
    if (!defined.includes(ref.name)) {
      ctx.report({ code: 'EXCH-07', args: [ref.name, ref.role], path: ref.path, data: { name: ref.name, role: ref.role, available: candidates(endpoints, ref.role, ref.name, true) } });
      continue;
    }
    const type = at(endpoints, ref.name, 'type');
    if (isType(type) && !endpointRoles[type][ref.role]) {
      ctx.report({ code: 'PLAN-027', args: [ref.name, type, ref.role], path: ref.path, data: { name: ref.name, type, role: ref.role, available: candidates(endpoints, ref.role, ref.name, false) } });
    }
  }
};

/** PLAN-030: an endpoint no batch can use is usually a typo in a reference, or leftover credentials. */
export const unusedEndpoints: Rule = (ctx) => {
  const used = new Set(endpointReferences(ctx).map((r) => r.name));
  for (const [name] of endpointEntries(ctx.value)) {
    if (!used.has(name)) ctx.report({ code: 'PLAN-030', args: [name], path: ['endpoints', name], at: 'key', data: { name } });
  }
};

/** Exchange Online's EWS host names; EWS there is blocked since 1 Oct 2026 and off on 1 Apr 2027. */
export function isExchangeOnlineHost(host: string): boolean {
  const h = host.toLowerCase().replace(/\.$/, '');
  return h === 'outlook.office365.com' || h === 'outlook.office.com' || h === 'outlook.com' || h.endsWith('.outlook.com') || h === 'office365.com' || h.endsWith('.office365.com');
}

export function isLoopbackHost(host: string): boolean {
  const h = host.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || h === '::1' || h === '0:0:0:0:0:0:0:1';
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname;
  } catch {
    return undefined;
  }
}

const standardPorts: Record<string, number> = { tls: 993, starttls: 143, none: 143 };

/** Settings that connect today but fail (or leak) in production: EWS on Exchange Online, IMAP in clear, mismatched ports. */
export const endpointSettings: Rule = (ctx) => {
  const itemsServedBy = (name: string) =>
    locatedBatches(ctx)
      .filter((b) => b.batch.source === name || b.batch.destination === name)
      .reduce((n, b) => n + b.items.length, 0);
  for (const [name, settings] of endpointEntries(ctx.value)) {
    const base = ['endpoints', name];
    if (settings.type === 'exchange' && nonEmpty(settings.url)) {
      const host = hostOf(settings.url);
      if (host && isExchangeOnlineHost(host)) ctx.report({ code: 'PLAN-033', args: [name, host], path: [...base, 'url'], data: { host } });
    }
    if (settings.type === 'exchange') {
      for (const key of ['url', 'autodiscoverUrl'] as const) {
        const url = settings[key];
        const host = nonEmpty(url) && /^http:\/\//i.test(url) ? hostOf(url) : undefined;
        if (host && !isLoopbackHost(host)) ctx.report({ code: 'PLAN-044', args: [name, key, host], path: [...base, key], data: { key } });
      }
    }
    if (settings.type === 'imap' && nonEmpty(settings.host)) {
      const security = settings.security ?? 'tls';
      if (security === 'none' && !isLoopbackHost(settings.host)) {
        ctx.report({ code: 'PLAN-034', args: [name, settings.host], path: [...base, 'security'], data: { host: settings.host } });
      }
      const port = settings.port;
      // 993 speaks TLS from the first byte and 143 plain text first: crossing them hangs or fails the handshake.
      if (typeof security === 'string' && (port === 993 || port === 143) && security in standardPorts && standardPorts[security] !== port) {
        const expectedPort = standardPorts[security];
        ctx.report({ code: 'PLAN-040', severity: 'warning', args: [name, String(port), security, String(expectedPort)], path: [...base, 'port'], data: { port, security, expectedPort } });
      }
    }
    if (settings.type === 'imap' && isObj(settings.oauth)) {
      // XOAUTH2 with refresh: the mechanism is implied, and the refresh token has one place on the endpoint.
      const mechanism = at(settings, 'auth', 'mechanism');
      if (nonEmpty(mechanism) && mechanism !== 'xoauth2') {
        ctx.report({ code: 'PLAN-053', args: [name, `signs in with OAuth (oauth) but auth.mechanism is '${mechanism}'`], path: [...base, 'auth', 'mechanism'], data: { mechanism } });
      }
      if (isObj(settings.oauth.refreshToken) && isObj(at(settings, 'auth', 'password'))) {
        ctx.report({ code: 'PLAN-053', args: [name, 'names two refresh tokens (oauth.refreshToken and auth.password)'], path: [...base, 'auth', 'password'], data: {} });
      }
    }
    const identity = at(settings, 'auth', 'authorizationIdentity');
    if (nonEmpty(identity) && !identity.includes('{mailbox}') && itemsServedBy(name) > 1) {
      // On the endpoint it applies to every item: each one would open the same mailbox.
      ctx.report({ code: 'PLAN-043', severity: 'warning', args: [name, identity], path: [...base, 'auth', 'authorizationIdentity'], data: { authorizationIdentity: identity } });
    }
  }
};
