// Mailbox addresses that no server would accept: caught here rather than as "Not valid" items
// halfway through a wave.
// PLAN-021 args: [address, where]   e.g. ["ann@contoso", "batches.0.items.1.source"] or ["bob@", "wave2.csv:3 (destination)"]
import type { PathSegment } from '../yamlDocument';
import { allItems, at, isObj, root } from './located';
import type { Rule, RuleContext } from './ruleContext';

const atom = "[\\p{L}\\p{N}!#$%&'*+/=?^_`{|}~-]+";
const label = '[\\p{L}\\p{N}](?:[\\p{L}\\p{N}-]*[\\p{L}\\p{N}])?';
const tld = '(?:\\p{L}{2,}|xn--[a-z0-9-]+)';
const address = new RegExp(`^${atom}(?:\\.${atom})*@(?:(?:${label}\\.)+${tld}|localhost)$`, 'iu');

/**
 * A practical mailbox address: dot-atom local part, a domain with a top-level label (or
 * `localhost`, for test servers). Quoted local parts and IP literals are legal but never used for
 * mailboxes worth migrating, and far more often typos.
 */
export function isValidAddress(value: string): boolean {
  if (value.length > 254) return false;
  const atSign = value.lastIndexOf('@');
  if (atSign > 64) return false;
  return address.test(value);
}

function check(ctx: RuleContext, value: unknown, path: PathSegment[]): void {
  if (typeof value !== 'string' || isValidAddress(value)) return;
  // coversSchema: the schema's only check on an address (minLength 3) says less than this.
  ctx.report({ code: 'PLAN-021', args: [value, path.join('.')], path, data: { address: value }, coversSchema: true });
}

export const validAddresses: Rule = (ctx) => {
  const r = root(ctx);
  check(ctx, at(r, 'project', 'owner'), ['project', 'owner']);
  const to = at(r, 'options', 'notifications', 'to');
  if (Array.isArray(to)) to.forEach((v, i) => check(ctx, v, ['options', 'notifications', 'to', i]));
  const pairs = at(r, 'identityMapping', 'pairs');
  if (Array.isArray(pairs)) {
    pairs.forEach((pair, i) => {
      check(ctx, at(pair, 'source'), ['identityMapping', 'pairs', i, 'source']);
      check(ctx, at(pair, 'destination'), ['identityMapping', 'pairs', i, 'destination']);
    });
  }
  if (isObj(r.endpoints)) {
    for (const [name, endpoint] of Object.entries(r.endpoints)) {
      check(ctx, at(endpoint, 'autodiscover'), ['endpoints', name, 'autodiscover']);
      check(ctx, at(endpoint, 'serviceAccount', 'clientEmail'), ['endpoints', name, 'serviceAccount', 'clientEmail']);
    }
  }
  for (const li of allItems(ctx)) {
    const { source, destination } = li.item;
    if (li.path) {
      check(ctx, source, [...li.path, 'source']);
      if (destination !== undefined) check(ctx, destination, [...li.path, 'destination']);
      continue;
    }
    for (const [field, value] of [['source', source], ['destination', destination]] as const) {
      if (value === undefined || isValidAddress(value)) continue;
      ctx.report({ code: 'PLAN-021', args: [value, `${li.where} (${field})`], file: li.file, range: li.range, data: { address: value, field } });
    }
  }
};
