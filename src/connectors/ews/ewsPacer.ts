// Paces one mailbox's EWS requests to what Exchange's throttling budget allows. Exchange refills a
// budget at a steady rate and answers ErrorServerBusy with BackOffMilliseconds once it is spent; a
// client that only waits and retries keeps hitting the wall (every other request refused). The
// pacer learns the rate instead: the first ErrorServerBusy sets the spacing between requests from
// the rate Exchange just accepted (when there were enough requests to tell), each further one slows
// it by 10%, and every quiet stretch speeds it up by 5% to find budget that came free. Every call
// also waits out the back-off itself.

/** How long without ErrorServerBusy before the pace is raised again: half a second, or 20 requests at the current pace. */
const quietMs = (intervalMs: number) => Math.max(500, 20 * intervalMs);
/** Fewer accepted requests than this in the window tell nothing of the rate (a busy server, not a spent budget). */
const minSample = 5;
const slower = 1.1;
const faster = 0.95;
/** The window over which the accepted rate is measured. */
const windowMs = 1000;

export class Pacer {
  /** Milliseconds between request starts; 0 while Exchange never pushed back. */
  intervalMs = 0;
  /** Requests may not start before this time (back-off, pace). */
  private nextAt = 0;
  private lastBusyAt = 0;
  private lastSpeedUpAt = 0;
  private readonly accepted: number[] = [];
  busyStreak = 0;

  constructor(private readonly clock: () => number = Date.now) {}

  /** Milliseconds the next request must wait, and books its slot. */
  reserve(): number {
    const now = this.clock();
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + this.intervalMs;
    return at - now;
  }

  /** A request was accepted. */
  succeeded(): void {
    const now = this.clock();
    this.busyStreak = 0;
    this.accepted.push(now);
    while (this.accepted.length && this.accepted[0] < now - windowMs) this.accepted.shift();
    const quiet = quietMs(this.intervalMs);
    if (this.intervalMs > 0 && now - this.lastBusyAt > quiet && now - this.lastSpeedUpAt > quiet) {
      this.intervalMs *= faster;
      this.lastSpeedUpAt = now;
    }
  }

  /** Exchange answered ErrorServerBusy; returns the back-off to wait before retrying. */
  busy(backOffMs: number | undefined): number {
    const now = this.clock();
    this.busyStreak++;
    while (this.accepted.length && this.accepted[0] < now - windowMs) this.accepted.shift();
    if (this.intervalMs === 0) {
      // The rate just accepted is the first estimate of the budget's; too few requests estimate nothing.
      if (this.accepted.length >= minSample) this.intervalMs = windowMs / this.accepted.length;
    } else if (now - this.lastBusyAt > this.intervalMs) {
      // One slow-down per wave of refusals (requests already in flight come back busy together).
      this.intervalMs *= slower;
    }
    this.lastBusyAt = now;
    const wait = backOffMs ?? Math.min(60_000, 500 * 2 ** Math.min(this.busyStreak, 7));
    this.nextAt = Math.max(this.nextAt, now + wait);
    return wait;
  }
}
