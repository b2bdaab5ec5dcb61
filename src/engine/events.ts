// Typed events a pass emits; the runner forwards them over IPC, the command line draws them.
import type { BatchStatus, ItemStatus, PassKind } from './statuses';
import type { BatchStatistics, ItemStatistics } from './statistics';
import type { PassSummary } from './summary';

export type EngineEvent =
  | { type: 'passStarted'; passId: number; kind: PassKind; batches: string[]; items: number; /** Mailboxes of the pass per batch. */ perBatch?: Record<string, number> }
  | { type: 'batchStatus'; batch: string; status: BatchStatus }
  | { type: 'itemStatus'; batch: string; item: string; destination: string; status: ItemStatus; code?: string; message?: string }
  | { type: 'progress'; batch: string; item: string; folder?: string; itemsDone: number; itemsTotal: number; bytesDone: number; bytesTotal: number }
  | { type: 'error'; batch: string; item: string; code: string; message: string; folder?: string }
  /** Worth knowing, not a failure (e.g. full fidelity not available: the mailbox moves as MIME). */
  | { type: 'notice'; batch: string; item: string; code: string; message: string }
  | { type: 'statistics'; batch: BatchStatistics; items: ItemStatistics[] }
  | { type: 'passEnded'; passId: number; summary: PassSummary };

export type EventListener = (event: EngineEvent) => void;

/** A small typed emitter; a listener that throws never breaks the pass. */
export class EngineEvents {
  private readonly listeners = new Set<EventListener>();

  on(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  emit(event: EngineEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch {
        // A broken view must not stop a migration.
      }
    }
  }
}
