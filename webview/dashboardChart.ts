// Throughput over time as an SVG line chart drawn by hand: items per second (area and line) and
// items copied so far (dashed, own scale). Colours come from the theme's chart colours.
import type { ThroughputPoint } from './dashboardProtocol';

const ns = 'http://www.w3.org/2000/svg';
const W = 800;
const H = 220;
const pad = { left: 52, right: 52, top: 12, bottom: 28 };

function el(tag: string, attrs: Record<string, string | number>, text?: string): SVGElement {
  const e = document.createElementNS(ns, tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A round upper bound for an axis (1, 2, 5 x 10^n). */
export function niceMax(v: number): number {
  if (v <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(v));
  return ([1, 2, 5, 10].find((m) => m * p >= v) ?? 10) * p;
}

/** Times on the axis: tenths of a second when the chart spans under 10 s, so no two labels read the same. */
const clock = (t: number, spanMs: number) => new Date(t).toISOString().slice(11, spanMs < 10_000 ? 21 : 19);

/** Samples further apart than this mean nothing ran in between (idle minutes between passes). */
const idleGapMs = 60_000;

/** The rate drops to zero across an idle gap instead of a straight line from one pass to the next. */
function withIdleGaps(points: readonly ThroughputPoint[]): ThroughputPoint[] {
  const out: ThroughputPoint[] = [];
  for (const p of points) {
    const last = out[out.length - 1];
    if (last && p.t - last.t > idleGapMs) out.push({ t: last.t + 1, rate: 0, total: last.total }, { t: p.t - 1, rate: 0, total: last.total });
    out.push(p);
  }
  return out;
}

export function throughputChart(measured: readonly ThroughputPoint[], summary: string): SVGSVGElement {
  const points = withIdleGaps(measured);
  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, class: 'chart', role: 'img', 'aria-label': summary }) as SVGSVGElement;
  svg.append(el('title', {}, summary));
  const t0 = points[0]?.t ?? 0;
  const t1 = Math.max(t0 + 1, points[points.length - 1]?.t ?? 1);
  const maxRate = niceMax(Math.max(...points.map((p) => p.rate), 0));
  const maxTotal = niceMax(Math.max(...points.map((p) => p.total), 0));
  const x = (t: number) => pad.left + ((t - t0) / (t1 - t0)) * (W - pad.left - pad.right);
  const y = (v: number, max: number) => H - pad.bottom - (v / max) * (H - pad.top - pad.bottom);
  for (let k = 0; k <= 4; k++) {
    const gy = y((maxRate * k) / 4, maxRate);
    svg.append(el('line', { class: k ? 'grid' : 'axis', x1: pad.left, x2: W - pad.right, y1: gy, y2: gy }));
    svg.append(el('text', { x: pad.left - 6, y: gy + 4, 'text-anchor': 'end' }, `${Math.round((maxRate * k) / 4).toLocaleString('en-US')}/s`));
    svg.append(el('text', { x: W - pad.right + 6, y: gy + 4 }, Math.round((maxTotal * k) / 4).toLocaleString('en-US')));
  }
  let previous = '';
  for (let k = 0; k <= 4; k++) {
    const t = t0 + ((t1 - t0) * k) / 4;
    const label = clock(t, t1 - t0);
    if (label === previous) continue;
    previous = label;
    svg.append(el('text', { x: x(t), y: H - 8, 'text-anchor': k === 0 ? 'start' : k === 4 ? 'end' : 'middle' }, label));
  }
  if (points.length > 1) {
    const line = points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.rate, maxRate).toFixed(1)}`).join(' ');
    svg.append(el('path', { class: 'area', d: `${line} L${x(points[points.length - 1].t).toFixed(1)},${y(0, maxRate)} L${x(points[0].t).toFixed(1)},${y(0, maxRate)} Z` }));
    svg.append(el('path', { class: 'line', d: line }));
    svg.append(el('path', { class: 'total', d: points.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.total, maxTotal).toFixed(1)}`).join(' ') }));
  }
  return svg;
}
