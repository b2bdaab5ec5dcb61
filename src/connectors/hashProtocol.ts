// Messages between hashOffThread (offThreadHash.ts) and its worker (hashWorker.ts).

export interface HashRequest {
  id: number;
  /** The message's bytes, in a SharedArrayBuffer (one copy, no serialisation). */
  data: Uint8Array;
}

/** What probeHashes gives, or why it failed. */
export type HashReply = { id: number; sizeBytes: number; exactHash: string; fingerprint: string } | { id: number; error: string };
