// Migration options that are legal but will hurt: more concurrent mailboxes than the link carries,
// items larger than the destination accepts, an orchestrated batch the service cannot take.
// PLAN-035 args: [maxConcurrentMigrations, capacity (3 × Mbps), bandwidthMbps]   data: {capacity, recommended: min(5, capacity)}
// PLAN-041 args: [batchName, reason]
// PLAN-042 args: [maxItemSizeMB, endpoint]   data: {limit: 150}
import { at, isObj, locatedBatches, root } from './located';
import type { Rule } from './ruleContext';

/** The MigrationWiz rule of thumb: about 3 mailboxes per 1 Mbps of bandwidth. */
export const MAILBOXES_PER_MBPS = 3;
/** Exchange Online's largest message, in MB. */
export const M365_MAX_ITEM_MB = 150;
/** MigrationWiz's recommended starting concurrency. */
export const RECOMMENDED_START = 5;

export const concurrency: Rule = (ctx) => {
  const options = at(root(ctx), 'options');
  if (!isObj(options) || typeof options.bandwidthMbps !== 'number' || options.bandwidthMbps <= 0) return;
  const { maxConcurrentMigrations, bandwidthMbps } = ctx.plan.options;
  if (bandwidthMbps === undefined || maxConcurrentMigrations <= MAILBOXES_PER_MBPS * bandwidthMbps) return;
  const capacity = Math.max(1, Math.floor(MAILBOXES_PER_MBPS * bandwidthMbps));
  // The usual start is 5, but never more than the link carries.
  const recommended = Math.min(RECOMMENDED_START, capacity);
  // Without an explicit maxConcurrentMigrations the default (5) is what exceeds the link: point at the bandwidth.
  const path = typeof options.maxConcurrentMigrations === 'number' ? ['options', 'maxConcurrentMigrations'] : ['options', 'bandwidthMbps'];
  ctx.report({ code: 'PLAN-035', args: [String(maxConcurrentMigrations), String(capacity), String(bandwidthMbps)], path, data: { capacity, recommended } });
};

export const itemSizeLimit: Rule = (ctx) => {
  const size = at(root(ctx), 'options', 'maxItemSizeMB');
  if (typeof size !== 'number' || size <= M365_MAX_ITEM_MB) return;
  const m365 = locatedBatches(ctx)
    .map((b) => b.batch.destination)
    .find((name) => name !== undefined && ctx.plan.endpoints.get(name)?.type === 'm365');
  if (!m365) return;
  ctx.report({ code: 'PLAN-042', severity: 'warning', args: [String(size), m365], path: ['options', 'maxItemSizeMB'], data: { limit: M365_MAX_ITEM_MB } });
};

/** Microsoft's cross-tenant service moves mailboxes between two Microsoft 365 tenants only. */
export const orchestratedBatches: Rule = (ctx) => {
  for (const { index, raw, batch } of locatedBatches(ctx)) {
    if (raw.orchestrated !== true) continue;
    const source = batch.source ? ctx.plan.endpoints.get(batch.source) : undefined;
    const destination = batch.destination ? ctx.plan.endpoints.get(batch.destination) : undefined;
    let reason: string | undefined;
    if (!source || !destination) continue; // EXCH-07 reports the missing endpoint
    if (source.type !== 'm365') reason = `its source "${source.name}" has type ${source.type ?? '(none)'}, not m365`;
    else if (destination.type !== 'm365') reason = `its destination "${destination.name}" has type ${destination.type ?? '(none)'}, not m365`;
    else if (!isObj(destination.settings.crossTenant)) reason = `its destination "${destination.name}" has no crossTenant settings`;
    if (reason) ctx.report({ code: 'PLAN-041', severity: 'error', args: [batch.name, reason], path: ['batches', index, 'orchestrated'] });
  }
};
