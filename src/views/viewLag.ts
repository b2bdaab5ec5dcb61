// How long after the runner sent an event each view showed it: every view records the revision it
// rendered with the time the oldest event in it was sent. Figures for the log, the benchmark and
// the tests; nothing asserts on them. Pure.

/** The views every project has; a mailbox's page only while it is open. */
export const viewNames = ['tree', 'statusBar', 'notification', 'dashboard'] as const;
export const allViewNames = [...viewNames, 'mailboxPage'] as const;
export type ViewName = (typeof allViewNames)[number];

export interface LagFigures {
  count: number;
  p50: number;
  p95: number;
  max: number;
}

export interface Rendered {
  revision: number;
  /** What the view shows of the counts (its text), for comparing views. */
  text: string;
  at: number;
}

function percentile(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

const historyLength = 500;

export class ViewLag {
  private readonly samples = new Map<ViewName, number[]>();
  private readonly rendered = new Map<string, Rendered>();
  private readonly shown = new Map<string, string[]>();

  /** A view showed `revision` of a plan; eventAt: when the runner sent the oldest event in it. */
  record(view: ViewName, planFile: string, revision: number, text: string, eventAt: number | undefined, now = Date.now()): void {
    const key = `${view}\u0000${planFile}`;
    const last = this.rendered.get(key);
    this.rendered.set(key, { revision, text, at: now });
    const texts = this.shown.get(key) ?? [];
    if (texts[texts.length - 1] !== text) texts.push(text);
    if (texts.length > historyLength) texts.shift();
    this.shown.set(key, texts);
    if (eventAt === undefined || (last && last.revision >= revision)) return;
    const list = this.samples.get(view) ?? [];
    list.push(Math.max(0, now - eventAt));
    this.samples.set(view, list);
  }

  /** What each view last showed of a plan. */
  last(planFile: string): Partial<Record<ViewName, Rendered>> {
    const out: Partial<Record<ViewName, Rendered>> = {};
    for (const v of allViewNames) {
      const r = this.rendered.get(`${v}\u0000${planFile}`);
      if (r) out[v] = r;
    }
    return out;
  }

  /** The texts a view showed of a plan since the pass began (the newest last; at most 500). */
  history(view: ViewName, planFile: string): readonly string[] {
    return this.shown.get(`${view}\u0000${planFile}`) ?? [];
  }

  figures(): Partial<Record<ViewName, LagFigures>> {
    const out: Partial<Record<ViewName, LagFigures>> = {};
    for (const [view, list] of this.samples) {
      const sorted = [...list].sort((a, b) => a - b);
      out[view] = { count: sorted.length, p50: percentile(sorted, 50), p95: percentile(sorted, 95), max: sorted[sorted.length - 1] ?? 0 };
    }
    return out;
  }

  /** One line for the log: "tree p50 40 ms, p95 180 ms, max 220 ms (31); ...". */
  describe(): string {
    const f = this.figures();
    return allViewNames.filter((v) => f[v]).map((v) => `${v} p50 ${f[v]!.p50} ms, p95 ${f[v]!.p95} ms, max ${f[v]!.max} ms (${f[v]!.count})`).join('; ') || 'no runner events shown';
  }

  /** A new pass: new figures. */
  reset(): void {
    this.samples.clear();
    this.shown.clear();
  }
}
