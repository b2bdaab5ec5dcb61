// Sends a webview the newest of what changed: one message in flight per key, and when asked again
// meanwhile, once more right after it (never a queue of stale revisions).
export class NewestOnly {
  private readonly posting = new Map<string, Promise<void>>();
  private readonly again = new Set<string>();

  constructor(private readonly post: (key: string) => Promise<void>, private readonly onError: (key: string, err: unknown) => void) {}

  /** Posts now, or right after the message in flight. */
  schedule(key: string): void {
    if (this.posting.has(key)) {
      this.again.add(key);
      return;
    }
    const posted = this.post(key)
      .catch((err: unknown) => this.onError(key, err))
      .finally(() => {
        this.posting.delete(key);
        if (this.again.delete(key)) this.schedule(key);
      });
    this.posting.set(key, posted);
  }
}
