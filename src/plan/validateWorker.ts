// Worker-thread entry: validates plans and computes quick fixes off the editor's thread. One
// request at a time; the extension side drops stale answers, so only the latest text matters.
import { parentPort } from 'node:worker_threads';
import { validatePlan } from './validate';
import { offeredFixes, rememberParsed } from './fixes';
import type { WorkerRequest, WorkerResponse } from './validateProtocol';

function handle(request: WorkerRequest): WorkerResponse {
  const started = performance.now();
  const now = request.now === undefined ? new Date() : new Date(request.now);
  const elapsedMs = () => performance.now() - started;
  try {
    if (request.kind === 'fixes') {
      return { kind: 'fixes', id: request.id, ...offeredFixes(request.text, request.diagnostic, { file: request.file, now }), elapsedMs: elapsedMs() };
    }
    const { diagnostics, yaml } = validatePlan(request.text, { file: request.file, now });
    rememberParsed(yaml);
    return { kind: 'validate', id: request.id, diagnostics, elapsedMs: elapsedMs() };
  } catch (err) {
    const failure = (err as Error).stack ?? String(err);
    return request.kind === 'fixes'
      ? { kind: 'fixes', id: request.id, edits: [], actions: [], orchestrated: false, elapsedMs: elapsedMs(), failure }
      : { kind: 'validate', id: request.id, diagnostics: [], elapsedMs: elapsedMs(), failure };
  }
}

parentPort?.on('message', (request: WorkerRequest) => parentPort?.postMessage(handle(request)));
