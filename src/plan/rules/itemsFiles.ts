// Batches and their CSV items files: the file is there, lives with the plan (so the repository
// holds the whole project; a file outside it is not read at all), and the batch has at least one
// mailbox. A refused file's content is never part of a finding.
// PLAN-022 args: [itemsFile, reason]   e.g. ["wave2.csv", "there is no readable file at /work/plans/wave2.csv"]        data: {path: itemsFile as written, absolute}
// PLAN-038 args: [itemsFile, reason]          data: {itemsFile, relative: the path from the plan's folder}
// PLAN-049 args: [itemsFile, reason]   e.g. ["wave2.csv", "it is 20 MB and Ferry reads items files of up to 16 MB"]
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
    const read = ctx.readItemsFile(itemsFile);
    if (!read.ok) {
      if (read.refusal === 'outside') ctx.report({ code: 'PLAN-038', args: [itemsFile, read.reason], path: filePath, data: { itemsFile, relative: relative.split(path.sep).join('/') } });
      else if (read.refusal === 'tooLarge') ctx.report({ code: 'PLAN-049', args: [itemsFile, read.reason], path: filePath, data: { path: itemsFile } });
      else ctx.report({ code: 'PLAN-022', args: [itemsFile, read.refusal === 'missing' ? read.reason : `${absolute}: ${read.reason}`], path: filePath, data: { path: itemsFile, absolute } });
      continue;
    }
    // Rows that were malformed have their own PLAN-023; what matters here is that nothing would move.
    if (!hasPlanItems && fileItems === 0) ctx.report({ code: 'PLAN-031', args: [batch.name, `its items file ${itemsFile} has no usable rows`], path: filePath, data: { batch: batch.name } });
  }
};
