// Figures for plans of hostile shapes and sizes (printed by bench:validate, never asserted): the
// 50,000-mailbox plan, one just under the size limit, a 10 MB plan, an alias bomb, 20,000
// endpoints, 20,000 aliases, and the memory validation takes. A throw is printed as such.
import { validatePlan } from '../../src/plan/validate';
import { largePlan } from './planGenerator';

function aliasBomb(levels: number, width: number): string {
  const out = [`l0: &l0 [${Array(width).fill('"lol"').join(', ')}]`];
  for (let i = 1; i < levels; i++) out.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(', ')}]`);
  return `${out.join('\n')}\n`;
}

function sized(targetBytes: number): string {
  // largePlan costs about 66 bytes per item.
  let items = Math.floor(targetBytes / 66);
  let text = largePlan(items);
  while (Buffer.byteLength(text) > targetBytes) text = largePlan((items = Math.floor(items * 0.99)));
  return text;
}

function measure(name: string, text: string, csv?: string): void {
  const rssBefore = process.memoryUsage().rss;
  const started = performance.now();
  let outcome: string;
  try {
    const codes = validatePlan(text, { file: '/bench/hostile.migration.yaml', readFile: () => csv }).diagnostics.map((d) => d.code);
    const distinct = [...new Set(codes)];
    outcome = `${codes.length} findings${distinct.length ? ` (${distinct.slice(0, 4).join(' ')})` : ''}`;
  } catch (err) {
    outcome = `threw ${(err as Error).name}: ${(err as Error).message.split('\n')[0].slice(0, 60)}`;
  }
  const ms = performance.now() - started;
  const rss = (process.memoryUsage().rss - rssBefore) / 1e6;
  console.log(`${name.padEnd(34)} ${(Buffer.byteLength(text) / 1e6).toFixed(1).padStart(5)} MB ${ms.toFixed(0).padStart(7)} ms  rss +${rss.toFixed(0)} MB  ${outcome}`);
}

export function hostileFigures(): void {
  console.log('\nhostile shapes (one run each; rss grows by what is not yet collected):');
  measure('50,000 mailboxes', largePlan(50_000));
  measure('just under the 8 MiB limit', sized(8 * 1024 * 1024 - 1));
  measure('10 MB plan', largePlan(152_000));
  measure('alias bomb 10^9', aliasBomb(9, 10));
  measure('20,000 endpoints', `version: 1\nendpoints:\n${Array.from({ length: 20_000 }, (_, i) => `  e${i}: { type: maildir, path: ./e${i} }`).join('\n')}\n`);
  measure('20,000 aliases of one anchor', `version: 1\nx: &x { source: a@contoso.example }\nmany: [${Array(20_000).fill('*x').join(', ')}]\n`);
  measure('5,000 aliases of one anchor', `version: 1\nx: &x { source: a@contoso.example }\nmany: [${Array(5000).fill('*x').join(', ')}]\n`);
  const columns = Array.from({ length: 50_000 }, (_, i) => (i === 0 ? 'source' : `c${i}`)).join(',');
  measure('items file of 50,000 columns', largePlan(10, 1).replace('batches:\n', 'batches:\n  - name: Wide\n    itemsFile: wide.csv\n'), `${columns}\na@contoso.example${','.repeat(49_999)}\n`);
  measure('20,000 batches of one name', largePlan(10, 1).replace('batches:\n', () => `batches:\n${Array.from({ length: 20_000 }, (_, i) => `  - { name: Wave, items: [{ source: w${i}@contoso.example }] }`).join('\n')}\n`));
  measure('nested 100,000 deep', `version: 1\nx: ${'['.repeat(100_000)}${']'.repeat(100_000)}\n`);
}
