// Benchmark: what the Projects view does with a batch of 10,000 mailboxes before it can draw it:
// read the plan into its outline (the extension host does this on its own thread), build the
// project view from it, and list the batch's first page of 200 mailboxes. The same code the
// extension runs (src/views, src/views/tree/children.ts, no vscode import), timed
// in plain Node, where no other test shares the thread. Prints figures; asserts nothing about time.
import { planOutline } from '../../src/views/planOutline';
import { projectView } from '../../src/views/projectView';
import { childrenOf, pageSize } from '../../src/views/tree/children';
import { NodeCache } from '../../src/views/tree/nodes';
import { largePlan } from './planGenerator';
import { time } from './timing';

function main(): void {
  const items = Number(process.env.FERRY_BENCH_ITEMS ?? 10_000);
  const file = '/bench/big/big.migration.yaml';
  const text = largePlan(items, 1);
  const runs = 15;
  const outlineMs = time(runs, () => planOutline(file, text));
  const outline = planOutline(file, text);
  const viewMs = time(runs, () => projectView(file, outline, undefined, undefined));
  const view = projectView(file, outline, undefined, undefined);
  const cache = new NodeCache();
  const batch = childrenOf(childrenOf(cache.project(file), view, cache, () => pageSize)[1], view, cache, () => pageSize)[0];
  const pageMs = time(runs, () => childrenOf(batch, view, cache, () => pageSize));
  const lastPageMs = time(runs, () => childrenOf(batch, view, cache, () => items));
  console.log(`plan: ${items.toLocaleString('en-US')} mailboxes in one batch, ${(text.length / 1024).toFixed(0)} KiB; median of ${runs} runs`);
  const row = (label: string, ms: number, note = '') => console.log(`${label.padEnd(26)}${ms.toFixed(2).padStart(8)} ms${note}`);
  row('outline of the plan', outlineMs);
  row('project view', viewMs);
  row(`first page (${pageSize})`, pageMs);
  row(`every page (${items.toLocaleString('en-US')})`, lastPageMs, '  (revealing the last mailbox loads every page up to it)');
}

main();
