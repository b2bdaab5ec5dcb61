// Worker-thread entry: validates plans off the editor's thread. One request at a time; the
// extension side drops stale answers, so only the latest text of a document matters.
import { parentPort } from 'node:worker_threads';
import { validatePlan } from './validate';
import type { ValidateRequest, ValidateResponse } from './validateProtocol';

parentPort?.on('message', (request: ValidateRequest) => {
  const started = performance.now();
  let response: ValidateResponse;
  try {
    const { diagnostics } = validatePlan(request.text, { file: request.file, now: request.now === undefined ? undefined : new Date(request.now) });
    response = { id: request.id, diagnostics, elapsedMs: performance.now() - started };
  } catch (err) {
    response = { id: request.id, diagnostics: [], elapsedMs: performance.now() - started, failure: (err as Error).stack ?? String(err) };
  }
  parentPort?.postMessage(response);
});
