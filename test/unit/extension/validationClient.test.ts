// The editor's plan worker client stops a worker that never answers and reports PLAN-048 for the
// validation it was running; the next validation gets a fresh worker. The worker here is the test's
// own: one that hangs on its first request and answers the ones after.
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ValidationClient } from '../../../src/extension/language/validationClient';
import type { Logger } from '../../../src/extension/common/logger';
import { tempDir } from '../helpers/repoRoot';

const quiet: Logger = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, show: () => undefined, redact: () => undefined };

describe('validation client watchdog', () => {
  let dist: string;
  let client: ValidationClient | undefined;
  beforeEach(() => {
    dist = tempDir('validation-client');
    // Hangs while the text says so (a step that never ends), answers clean otherwise.
    fs.writeFileSync(
      path.join(dist, 'validateWorker.js'),
      `const { parentPort } = require('node:worker_threads');
parentPort.on('message', (r) => { if (r.text === 'hang') { for (;;) {} } parentPort.postMessage({ kind: r.kind, id: r.id, diagnostics: [], edits: [], actions: [], orchestrated: false, elapsedMs: 0 }); });`,
    );
  });
  afterEach(() => {
    client?.dispose();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('answers a validation the worker never finishes with PLAN-048, then validates with a new worker', async () => {
    client = new ValidationClient(dist, quiet, 200);
    const stuck = await client.validate('/plans/a.migration.yaml', 'hang');
    assert.deepEqual(stuck?.map((d) => d.code), ['PLAN-048']);
    assert.match(stuck?.[0].message ?? '', /waiting for the validation worker/);
    assert.deepEqual(await client.validate('/plans/a.migration.yaml', 'fine'), []);
  });
});
