// The thread behind hashOffThread (dist/hashWorker.js): the hashes of a probe (fingerprint.ts) for
// one large message at a time, so the main thread goes on reading and writing other messages.
import { parentPort } from 'node:worker_threads';
import { probeHashes } from './fingerprint';
import type { HashReply, HashRequest } from './hashProtocol';

parentPort?.on('message', (request: HashRequest) => {
  let reply: HashReply;
  try {
    reply = { id: request.id, ...probeHashes(Buffer.from(request.data.buffer, request.data.byteOffset, request.data.byteLength)) };
  } catch (err) {
    reply = { id: request.id, error: String((err as Error)?.message ?? err) };
  }
  parentPort!.postMessage(reply);
});
