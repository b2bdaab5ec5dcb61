// Mailbox addresses that no server would accept: caught here rather than as "Not valid" items
// halfway through a wave.
// PLAN-021 args: [address, where]   e.g. ["ann@contoso", "batches.0.items.1.source"] or ["bob@", "wave2.csv:3 (destination)"]
import type { PathSegment } from '../yamlDocument';
import { allItems, at, isObj, root } from './located';
import type { Rule, RuleContext } from './ruleContext';

/** The address pattern with `letter` and `digit` as the classes of letters and digits. */
const pattern = (letter: string, digit: string) => {
  const atom = `[${letter}${digit}!#$%&'*+/=?^_\`{|}~-]+`;
  const label = `[${letter}${digit}](?:[${letter}${digit}-]*[${letter}${digit}])?`;
  const tld = `(?:[${letter}]{2,}|xn--[a-z0-9-]+)`;
  return `^${atom}(?:\\.${atom})*@(?:(?:${label}\\.)+${tld}|localhost)$`;
};
// Made on the first address beyond ASCII: V8 parses a pattern when it is constructed, and the
// Unicode classes under `iu` (ICU's letter and digit sets, case-folded) cost ~0.8 ms of CPU at
// each start that imports this module (run, status, validate), for plans of ASCII addresses.
let unicodeAddress: RegExp | undefined;
const address = () => (unicodeAddress ??= new RegExp(pattern('\\p{L}', '\\p{N}'), 'iu'));
// The same for an address of ASCII only: compiling the Unicode classes case-insensitively costs
// ~3 ms at each start, and plans are mostly ASCII (for ASCII text, \p{L} is a-z and \p{N} 0-9).
const asciiAddress = new RegExp(pattern('a-z', '0-9'), 'i');

/**
 * A practical mailbox address: dot-atom local part, a domain with a top-level label (or
 * `localhost`, for test servers). Quoted local parts and IP literals are legal but never used for
 * mailboxes worth migrating, and far more often typos.
 */
export function isValidAddress(value: string): boolean {
  if (value.length > 254) return false;
  const atSign = value.lastIndexOf('@');
  if (atSign > 64) return false;
  return /^[\x00-\x7f]*$/.test(value) ? asciiAddress.test(value) : address().test(value);
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
