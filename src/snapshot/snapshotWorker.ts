// Worker-thread entry: reads plans' snapshots off the extension host's thread, one at a time.
import { parentPort } from 'node:worker_threads';
import { formatMessage } from '../errors/catalog';
import { StoreError, storeErrorOf } from '../store/storeError';
import { readSharedSnapshot } from './readSharedSnapshot';
import { readSnapshot } from './readSnapshot';
import type { SnapshotRequest, SnapshotResponse } from './snapshotProtocol';

function handle(request: SnapshotRequest): SnapshotResponse {
  const started = performance.now();
  try {
    return { id: request.id, ok: true, snapshot: request.databaseUrl ? readSharedSnapshot(request.databaseUrl, request.planFile, Date.now, request.mailboxes) : readSnapshot(request.stateDir, request.planFile, Date.now, request.mailboxes), elapsedMs: performance.now() - started };
  } catch (err) {
    const store = err instanceof StoreError ? err : storeErrorOf(err, request.stateDir, request.stateDir);
    if (store) return { id: request.id, ok: false, code: store.code, message: formatMessage(store.code, store.args) };
    return { id: request.id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
}

parentPort?.on('message', (request: SnapshotRequest) => parentPort?.postMessage(handle(request)));
