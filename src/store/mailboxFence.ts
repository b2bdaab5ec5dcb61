// The fencing token of a mailbox run by distributed workers (issue 16): each worker that takes a
// mailbox's job bumps the mailbox's generation in the shared store, and every intent it records
// (written before each destination write) checks, in the same transaction and under the row's lock,
// that the generation is still its own. A worker that stalled (CPU starved, SIGSTOPped) past its
// lease and woke up after another worker took the job over has its first intent refused: it stops
// there, before sending anything more to the destination. Embedded (SQLite) runs take no fence.
import type { SqlStore } from './sqlStore';

/** Thrown by the intent write of a mailbox whose fence another worker took (DIST-016). */
export class FenceLost extends Error {
  constructor(
    readonly itemId: number,
    readonly generation: number,
  ) {
    super(`DIST-016 mailbox item ${itemId}: generation ${generation} is no longer the mailbox's`);
    this.name = 'FenceLost';
  }
}

interface Held {
  generation: number;
  lost?: boolean;
  onLost: (err: FenceLost) => void;
}

export class MailboxFences {
  private readonly held = new Map<number, Held>();

  constructor(private readonly db: SqlStore) {}

  /**
   * Makes this process the mailbox's owner: its generation goes up by one (so the previous owner's
   * next intent is refused). `onLost` is called, before FenceLost is thrown, when a write finds the
   * fence taken by a later owner (a worker aborts the mailbox there).
   */
  take(itemId: number, onLost: (err: FenceLost) => void): number {
    const generation = this.db.tx(() => {
      this.db.run(
        `INSERT INTO mailbox_fences (item_id, generation) VALUES (?, 1)
         ON CONFLICT (item_id) DO UPDATE SET generation = mailbox_fences.generation + 1`,
        itemId,
      );
      return Number(this.db.get('SELECT generation FROM mailbox_fences WHERE item_id = ?', itemId)?.generation);
    });
    this.held.set(itemId, { generation, onLost });
    return generation;
  }

  /** The mailbox's job ended here: its writes are no longer checked. */
  release(itemId: number): void {
    this.held.delete(itemId);
  }

  /**
   * Inside the transaction of an intent write: refuses it (FenceLost) when the mailbox has a later
   * owner. The no-op UPDATE locks the row, so a takeover waits for this transaction, or this one
   * sees the bumped generation (PostgreSQL re-reads a row updated meanwhile).
   */
  check(itemId: number): void {
    const mine = this.held.get(itemId);
    if (!mine) return;
    if (!mine.lost) {
      const { changes } = this.db.run('UPDATE mailbox_fences SET generation = generation WHERE item_id = ? AND generation = ?', itemId, mine.generation);
      if (Number(changes) === 1) return;
      mine.lost = true;
      mine.onLost(new FenceLost(itemId, mine.generation));
    }
    // Refused from then on, until the job that took the fence releases it.
    throw new FenceLost(itemId, mine.generation);
  }
}
