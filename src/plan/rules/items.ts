// Items: each mailbox once per batch and once per project, one source per destination mailbox,
// never a mailbox onto itself, and a destination for everything.
// Mailboxes are compared case-insensitively and per server: the same address on two different
// source servers is two different mailboxes.
// CTM-001 args: [source, batchName, firstWhere]   data: {source, firstLine (1-based), firstFile}
// CTM-002 args: [otherBatch, source]              data: {source, otherBatch}
// PLAN-029 args: [otherSource, source, destination, otherWhere]   data: {destination, otherSource}
// PLAN-028 args: [address, endpoint]             data: {address, endpoint}
// IM-003 args: [source, destination tenant id (m365) or endpoint name]   data: {source, domain}
import * as path from 'node:path';
import { isValidAddress } from './addresses';
import { addressKey, allItems, at, isObj, itemFinding, locatedBatches, nonEmpty, root, type LocatedItem } from './located';
import type { Rule, RuleContext } from './ruleContext';
import type { RelatedPlace } from '../diagnostic';

/**
 * What makes two endpoint names the same server: its connection settings, so that two names
 * for one host still count as one. Unknown names stay distinct by name.
 */
export function endpointIdentity(ctx: RuleContext, name: string | undefined): string {
  if (!name) return '';
  const settings = at(root(ctx), 'endpoints', name);
  if (!isObj(settings)) return `name:${name}`;
  const lower = (v: unknown) => (typeof v === 'string' ? v.trim().toLowerCase() : '');
  switch (settings.type) {
    case 'maildir':
      return nonEmpty(settings.path) ? `maildir:${path.resolve(path.dirname(path.resolve(ctx.file)), settings.path)}` : `name:${name}`;
    case 'imap': {
      const port = typeof settings.port === 'number' ? settings.port : settings.security === 'tls' || settings.security === undefined ? 993 : 143;
      return `imap:${lower(settings.host)}:${port}`;
    }
    case 'exchange':
      return nonEmpty(settings.url) ? `exchange:${lower(settings.url)}` : `name:${name}`;
    case 'm365':
      return nonEmpty(settings.tenantId) ? `m365:${lower(settings.tenantId)}` : `name:${name}`;
    case 'gmail':
      return nonEmpty(settings.domain) ? `gmail:${lower(settings.domain)}` : `name:${name}`;
    default:
      return `name:${name}`;
  }
}

/**
 * An item written in the plan counts as added after one in a CSV file (lists are imported, the
 * plan is where mailboxes get typed): a duplicate is reported on the later of the two, with the
 * first as related information. Among items of one kind, document order.
 */
const addedLater = (a: LocatedItem, b: LocatedItem) => Number(a.path !== undefined) - Number(b.path !== undefined);

const relatedTo = (first: LocatedItem, batchName: string): RelatedPlace[] => [{ file: first.file, range: first.range, message: `${first.item.source} is first listed here, in batch "${batchName}"` }];

/** CTM-001 and CTM-002: a mailbox is migrated once. */
export const uniqueSources: Rule = (ctx) => {
  const inProject = new Map<string, LocatedItem[]>();
  for (const b of locatedBatches(ctx)) {
    const server = endpointIdentity(ctx, b.batch.source);
    const inBatch = new Map<string, LocatedItem>();
    for (const li of b.items) {
      const key = `${server}|${addressKey(li.item.source)}`;
      const first = inBatch.get(key);
      if (first) {
        ctx.report({
          code: 'CTM-001',
          args: [li.item.source, b.batch.name, first.where],
          ...itemFinding(li, 'source'),
          data: { source: li.item.source, firstLine: first.line, firstFile: first.file },
          related: relatedTo(first, b.batch.name),
        });
        continue;
      }
      inBatch.set(key, li);
      const list = inProject.get(key);
      if (list) list.push(li);
      else inProject.set(key, [li]);
    }
  }
  for (const occurrences of inProject.values()) {
    if (occurrences.length < 2) continue;
    const [first, ...later] = [...occurrences].sort(addedLater);
    for (const li of later) {
      ctx.report({
        code: 'CTM-002',
        args: [first.batch.batch.name, li.item.source],
        ...itemFinding(li, 'source'),
        data: { source: li.item.source, otherBatch: first.batch.batch.name },
        related: relatedTo(first, first.batch.batch.name),
      });
    }
  }
};

/** PLAN-029 (two sources into one destination mailbox) and PLAN-028 (a mailbox onto itself). */
export const destinations: Rule = (ctx) => {
  const byDestination = new Map<string, LocatedItem>();
  for (const b of locatedBatches(ctx)) {
    const sourceServer = endpointIdentity(ctx, b.batch.source);
    const destinationServer = endpointIdentity(ctx, b.batch.destination);
    for (const li of b.items) {
      const destination = li.item.resolvedDestination;
      if (!destination) continue;
      if (sourceServer && sourceServer === destinationServer && addressKey(destination) === addressKey(li.item.source)) {
        ctx.report({ code: 'PLAN-028', args: [li.item.source, b.batch.destination ?? ''], ...itemFinding(li, 'destination'), data: { address: li.item.source, endpoint: b.batch.destination } });
        continue;
      }
      const key = `${destinationServer}|${addressKey(destination)}`;
      const first = byDestination.get(key);
      if (!first) {
        byDestination.set(key, li);
      } else if (addressKey(first.item.source) !== addressKey(li.item.source)) {
        // The same source twice is CTM-001/CTM-002's finding, not a merge of two mailboxes.
        ctx.report({
          code: 'PLAN-029',
          args: [first.item.source, li.item.source, destination, first.where],
          ...itemFinding(li, 'destination'),
          data: { destination, otherSource: first.item.source },
        });
      }
    }
  }
};

/** IM-003: no destination written and no identity rule that derives one. */
export const derivableDestinations: Rule = (ctx) => {
  for (const li of allItems(ctx)) {
    const { source, destination, resolvedDestination } = li.item;
    if (destination !== undefined || resolvedDestination !== undefined) continue;
    if (!isValidAddress(source)) continue; // PLAN-021 already says what is wrong
    const domain = source.slice(source.lastIndexOf('@') + 1).toLowerCase();
    const endpoint = li.batch.batch.destination;
    const tenant = at(root(ctx), 'endpoints', endpoint ?? '', 'tenantId');
    ctx.report({ code: 'IM-003', args: [source, nonEmpty(tenant) ? tenant : endpoint ?? 'the destination'], ...itemFinding(li, 'source'), data: { source, domain } });
  }
};
