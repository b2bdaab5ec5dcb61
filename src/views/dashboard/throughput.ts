// Throughput over time for the dashboard's chart: from the running pass's samples, else the last
// pass this window saw, else reconstructed from the store (each mailbox's items at its end time).
import type { ThroughputPoint } from '../../../webview/dashboardProtocol';
import type { ThroughputSample } from '../liveState';
import type { ProjectView } from '../projectView';

const maxPoints = 120;

/** Cumulative samples -> items per second per interval, in at most maxPoints intervals. */
export function ratesOf(samples: readonly ThroughputSample[]): ThroughputPoint[] {
  if (samples.length < 2) return [];
  const first = samples[0].t;
  const span = Math.max(1, samples[samples.length - 1].t - first);
  const step = span / Math.min(maxPoints, samples.length - 1);
  const points: ThroughputPoint[] = [{ t: first, rate: 0, total: samples[0].items }];
  let previous = samples[0];
  let at = 0;
  for (let k = 1; k <= Math.min(maxPoints, samples.length - 1); k++) {
    const edge = first + step * k;
    while (at + 1 < samples.length && samples[at + 1].t <= edge + 0.5) at++;
    const s = samples[at];
    const seconds = Math.max(0.001, (s.t - previous.t) / 1000);
    if (s !== previous) points.push({ t: s.t, rate: (s.items - previous.items) / seconds, total: s.items });
    previous = s;
  }
  return points;
}

/** Samples from the store alone: what each mailbox copied, counted when it ended. */
export function storeSamples(view: ProjectView): ThroughputSample[] {
  const ended = [...view.items.values()]
    .filter((i) => i.stats?.endedAt && i.stats.startedAt && i.items > 0)
    .map((i) => ({ start: Date.parse(i.stats!.startedAt!), end: Date.parse(i.stats!.endedAt!), items: i.items, bytes: i.bytes }))
    .sort((a, b) => a.end - b.end);
  if (!ended.length) return [];
  const samples: ThroughputSample[] = [{ t: Math.min(...ended.map((e) => e.start)), items: 0, bytes: 0 }];
  for (const e of ended) {
    const last = samples[samples.length - 1];
    samples.push({ t: Math.max(e.end, last.t + 1), items: last.items + e.items, bytes: last.bytes + e.bytes });
  }
  return samples;
}

export function throughputOf(view: ProjectView, lastSamples: readonly ThroughputSample[]): { points: ThroughputPoint[]; source: string; peak: number; average: number } {
  const live = view.live?.samples ?? [];
  const [samples, source] = live.length > 1 ? [live, view.live?.done ? 'last pass' : 'running pass'] : lastSamples.length > 1 ? [lastSamples, 'last pass'] : [storeSamples(view), 'mailboxes as they finished (from the store)'];
  const points = ratesOf(samples);
  const peak = points.reduce((m, p) => Math.max(m, p.rate), 0);
  const spanS = samples.length > 1 ? (samples[samples.length - 1].t - samples[0].t) / 1000 : 0;
  const average = spanS > 0 ? (samples[samples.length - 1].items - samples[0].items) / spanS : 0;
  return { points, source, peak, average };
}
