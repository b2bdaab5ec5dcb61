// Batches and their CSV items files: the file is there, lives with the plan (so the repository
// holds the whole project), and the batch has at least one mailbox.
// PLAN-022 args: [itemsFile, reason]   e.g. ["wave2.csv", "there is no readable file at /work/plans/wave2.csv"]        data: {path: itemsFile as written, absolute}
// PLAN-038 args: [itemsFile]                  data: {itemsFile, relative: the path from the plan's folder}
// PLAN-031 args: [batchName, reason]          e.g. ["Wave 3", "it has neither items nor itemsFile"]
//          data: {batch, suggestedItemsFile (when there is no itemsFile)}
import * as path from 'node:path';
import { locatedBatches, nonEmpty } from './located';
import type { Rule } from './ruleContext';

/** `Wave 3 - Sales` → `wave-3-sales.csv`: a file name for the create-items-file fix. */
export function suggestItemsFile(batchName: string): string {
  const slug = batchName.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return `${slug || 'items'}.csv`;
}

export const itemsFiles: Rule = (ctx) => {
  const planDir = path.dirname(path.resolve(ctx.file));
  for (const { index, raw, batch } of locatedBatches(ctx)) {
    const itemsFile = raw.itemsFile;
    const hasPlanItems = Array.isArray(raw.items) && raw.items.length > 0;
    const fileItems = batch.items.filter((i) => i.origin.kind === 'csv').length;
    const namePath = nonEmpty(raw.name) ? ['batches', index, 'name'] : ['batches', index];
    if (!nonEmpty(itemsFile)) {
      if (!hasPlanItems) {
        const reason = Array.isArray(raw.items) ? 'its items list is empty and it has no itemsFile' : 'it has neither items nor itemsFile';
        ctx.report({ code: 'PLAN-031', args: [batch.name, reason], path: namePath, data: { batch: batch.name, suggestedItemsFile: suggestItemsFile(batch.name) } });
      }
      continue;
    }
    const filePath = ['batches', index, 'itemsFile'];
    const absolute = path.resolve(planDir, itemsFile);
    const relative = path.relative(planDir, absolute);
    if (path.isAbsolute(itemsFile) || relative.startsWith('..') || path.isAbsolute(relative)) {
      ctx.report({ code: 'PLAN-038', args: [itemsFile], path: filePath, data: { itemsFile, relative: relative.split(path.sep).join('/') } });
    }
    if (ctx.readFile(itemsFile) === undefined) {
      ctx.report({ code: 'PLAN-022', args: [itemsFile, `there is no readable file at ${absolute}`], path: filePath, data: { path: itemsFile, absolute } });
      continue;
    }
    // Rows that were malformed have their own PLAN-023; what matters here is that nothing would move.
    if (!hasPlanItems && fileItems === 0) ctx.report({ code: 'PLAN-031', args: [batch.name, `its items file ${itemsFile} has no usable rows`], path: filePath, data: { batch: batch.name } });
  }
};
