// An endpoint's maxConnections across every distributed worker: slot k of an endpoint is a
// PostgreSQL advisory lock (key of the project and endpoint, k), held by the worker's connection
// while its mailbox is open. PostgreSQL drops the locks of a connection that ends, so a worker
// killed with kill -9 frees its slots at once. Within one worker a Limiter bounds the mailboxes
// waiting, and the slots it holds are never tried again (advisory locks are re-entrant per session).
import { createHash } from 'node:crypto';
import type { Slots } from '../engine/context';
import { abortableSleep } from '../engine/backoff';
import { Limiter } from '../engine/limiter';
import type { Store } from '../store/store';

/** A 32-bit key for an endpoint of a project. */
export function slotKey(projectId: number, endpoint: string): number {
  return createHash('sha256').update(`ferry-endpoint:${projectId}:${endpoint}`).digest().readInt32BE(0);
}

export class SharedSlots implements Slots {
  private readonly local: Limiter;
  private readonly held = new Set<number>();

  constructor(
    private readonly store: Store,
    private readonly key: number,
    readonly limit: number,
    /** How long to wait before trying the slots again when others hold them all. */
    private readonly retryMs = 250,
  ) {
    this.local = new Limiter(limit);
  }

  private tryTake(slot: number): boolean {
    return this.store.db.get('SELECT pg_try_advisory_lock(?, ?) AS ok', this.key, slot)?.ok === true;
  }

  async acquire(signal?: AbortSignal): Promise<() => void> {
    const releaseLocal = await this.local.acquire(signal);
    try {
      for (;;) {
        const taken = this.takeFree(releaseLocal);
        if (taken) return taken;
        await abortableSleep(this.retryMs, signal ?? new AbortController().signal);
      }
    } catch (err) {
      releaseLocal();
      throw err;
    }
  }

  /** A slot free in this worker and across the workers now, without waiting. */
  tryAcquire(): (() => void) | undefined {
    const releaseLocal = this.local.tryAcquire();
    if (!releaseLocal) return undefined;
    const taken = this.takeFree(releaseLocal);
    if (!taken) releaseLocal();
    return taken;
  }

  /** One pass over the slots: the first free one, with its release; undefined when others hold them all. */
  private takeFree(releaseLocal: () => void): (() => void) | undefined {
    for (let slot = 0; slot < this.limit; slot++) {
      if (this.held.has(slot) || !this.tryTake(slot)) continue;
      this.held.add(slot);
      let released = false;
      return () => {
        if (released) return;
        released = true;
        this.held.delete(slot);
        try {
          this.store.db.get('SELECT pg_advisory_unlock(?, ?) AS ok', this.key, slot);
        } catch {
          // the connection is gone, and with it the lock
        }
        releaseLocal();
      };
    }
    return undefined;
  }
}
