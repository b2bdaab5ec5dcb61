// Benchmark: plan validation speed on a 5,000-item plan, against the bare `yaml` parse of the
// same text, plus completion latency and the editor's per-edit cost with the real worker bundle.
// Then plans of hostile shapes and sizes (hostilePlans.ts; FERRY_BENCH_HOSTILE=0 skips them).
// Prints figures; asserts nothing about time (machines differ).
import * as path from 'node:path';
import * as fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { parseDocument } from 'yaml';
import { validatePlan } from '../../src/plan/validate';
import { completePlan } from '../../src/plan/completion/complete';
import { hoverPlan } from '../../src/plan/hover';
import { planOutline } from '../../src/views/planOutline';
import { fixesFor } from '../../src/plan/fixes';
import type { ValidateResponse } from '../../src/plan/validateProtocol';
import { largePlan } from './planGenerator';
import { median, time } from './timing';
import { hostileFigures } from './hostilePlans';

async function workerRoundTrips(text: string, runs: number): Promise<{ postMs: number; roundTripMs: number }> {
  const root = path.resolve(__dirname, '../../..');
  const bundle = path.join(root, 'dist', 'validateWorker.js');
  if (!fs.existsSync(bundle)) throw new Error('dist/validateWorker.js is missing: run npm run build first');
  const worker = new Worker(bundle);
  const post: number[] = [];
  const round: number[] = [];
  for (let i = 0; i < runs + 1; i++) {
    const started = performance.now();
    const answered = new Promise<ValidateResponse>((resolve) => worker.once('message', resolve));
    worker.postMessage({ kind: 'validate', id: i, file: '/bench/large.migration.yaml', text: `${text}# edit ${i}\n` });
    const posted = performance.now();
    await answered;
    if (i > 0) {
      post.push(posted - started);
      round.push(performance.now() - started);
    }
  }
  await worker.terminate();
  return { postMs: median(post), roundTripMs: median(round) };
}

async function main(): Promise<void> {
  const items = Number(process.env.FERRY_BENCH_ITEMS ?? 5000);
  const text = largePlan(items);
  const runs = 15;
  const parseMs = time(runs, () => parseDocument(text));
  const validateMs = time(runs, () => validatePlan(text, { file: '/bench/large.migration.yaml', readFile: () => undefined }));
  const diagnostics = validatePlan(text, { file: '/bench/large.migration.yaml', readFile: () => undefined }).diagnostics;
  const lines = text.split('\n');
  const itemLine = lines.findIndex((l) => l.includes(`user${Math.floor(items / 2)}@`));
  const completionMs = time(runs, () => completePlan(text, { line: itemLine + 1, character: 8 }));
  const hoverMs = time(runs, () => hoverPlan(text, { line: itemLine, character: 10 }));
  const broken = text.replace(`user${Math.floor(items / 2)}@contoso.example`, `user${Math.floor(items / 2) + 1}@contoso.example`);
  const duplicate = validatePlan(broken, { file: '/bench/large.migration.yaml', readFile: () => undefined }).diagnostics.find((d) => d.code === 'CTM-001');
  let variant = 0;
  // A new text each run: the fixes cache their parse per text, and an edit always brings a new text.
  const fixesMs = duplicate ? time(5, () => fixesFor(`${broken}#${variant++}\n`, duplicate, { file: '/bench/large.migration.yaml', now: new Date() })) : NaN;
  const outlineText = largePlan(10_000, 10);
  const outlineMs = time(5, () => planOutline('/bench/large.migration.yaml', outlineText));
  const { postMs, roundTripMs } = await workerRoundTrips(text, 10);
  const debounceMs = 200;
  console.log(`plan: ${items} items, ${lines.length} lines, ${(text.length / 1024).toFixed(0)} KiB, ${diagnostics.length} findings`);
  console.log(`bare yaml parse          ${parseMs.toFixed(1)} ms`);
  console.log(`full validation          ${validateMs.toFixed(1)} ms  (ratio to bare parse: ${(validateMs / parseMs).toFixed(2)}x)`);
  console.log(`completion in an item    ${completionMs.toFixed(1)} ms  (target < 100 ms)`);
  console.log(`hover on an item         ${hoverMs.toFixed(1)} ms`);
  console.log(`quick fixes (new text)   ${fixesMs.toFixed(1)} ms  (computed in the validation worker, off the host thread)`);
  console.log(`tree outline, 10k items  ${outlineMs.toFixed(1)} ms  (10,000 mailboxes, read on the extension host)`);
  console.log(`host thread per edit     ${postMs.toFixed(2)} ms  (post to worker; target < 50 ms)`);
  console.log(`keystroke to diagnostics ${(debounceMs + roundTripMs).toFixed(0)} ms  (${debounceMs} ms debounce + ${roundTripMs.toFixed(0)} ms worker round trip; target < 1000 ms)`);
  if (process.env.FERRY_BENCH_HOSTILE !== '0') hostileFigures();
}

void main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
