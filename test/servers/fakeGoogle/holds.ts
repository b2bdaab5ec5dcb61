// Holding a user's API requests on cue: a test closes the gate for a user, requests of that user
// wait inside the fake (holding their quota and concurrency slot) until it opens again, and
// `whenHeld(user, n)` resolves once n of them wait. So concurrency limits and kills mid-request are
// tested on events, not on timing.

interface Gate {
  open: Promise<void>;
  release: () => void;
}

export class Holds {
  private readonly gates = new Map<string, Gate>();
  private readonly held = new Map<string, number>();
  private readonly waiters: { user: string; n: number; resolve: () => void }[] = [];

  /** Closes the gate for `user`; the function returned opens it. */
  hold(user: string): () => void {
    const key = user.toLowerCase();
    let release!: () => void;
    const open = new Promise<void>((resolve) => (release = resolve));
    const gate = { open, release };
    this.gates.set(key, gate);
    return () => {
      if (this.gates.get(key) === gate) this.gates.delete(key);
      gate.release();
    };
  }

  /** Waits at the user's gate when it is closed. */
  async pass(user: string): Promise<void> {
    const key = user.toLowerCase();
    const gate = this.gates.get(key);
    if (!gate) return;
    this.held.set(key, (this.held.get(key) ?? 0) + 1);
    this.notify();
    try {
      await gate.open;
    } finally {
      this.held.set(key, (this.held.get(key) ?? 1) - 1);
    }
  }

  heldCount(user: string): number {
    return this.held.get(user.toLowerCase()) ?? 0;
  }

  /** Resolves once at least `n` requests of `user` wait at its gate. */
  whenHeld(user: string, n = 1): Promise<void> {
    return new Promise((resolve) => {
      this.waiters.push({ user: user.toLowerCase(), n, resolve });
      this.notify();
    });
  }

  private notify(): void {
    for (const w of [...this.waiters]) {
      if (this.heldCount(w.user) >= w.n) {
        this.waiters.splice(this.waiters.indexOf(w), 1);
        w.resolve();
      }
    }
  }
}
