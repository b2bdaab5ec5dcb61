import * as assert from 'node:assert/strict';
import { ratesOf, storeSamples } from '../../../src/views/dashboard/throughput';
import { projectView } from '../../../src/views/projectView';
import { item, planFile, snapshot } from './outlineFixtures';

describe('extension: throughput', () => {
  it('turns cumulative samples into items per second', () => {
    const points = ratesOf([{ t: 0, items: 0, bytes: 0 }, { t: 1000, items: 50, bytes: 0 }, { t: 3000, items: 150, bytes: 0 }]);
    assert.deepEqual(points.map((p) => [p.t, p.rate, p.total]), [[0, 0, 0], [1000, 50, 50], [3000, 50, 150]]);
  });

  it('keeps at most 120 points over a long pass', () => {
    const samples = Array.from({ length: 5000 }, (_x, i) => ({ t: i * 250, items: i * 10, bytes: 0 }));
    const points = ratesOf(samples);
    assert.ok(points.length <= 121, String(points.length));
    assert.ok(points.slice(1).every((p) => Math.abs(p.rate - 40) < 1e-9), 'a steady 40 items/s');
  });

  it('reconstructs samples from the store: each mailbox counted when it ended', () => {
    const view = projectView(planFile, undefined, snapshot([
      item('a@contoso.example', 'Completed', { items: 10, startedAt: '2026-01-01T00:00:00.000Z', endedAt: '2026-01-01T00:00:04.000Z' }),
      item('b@contoso.example', 'Completed', { items: 30, startedAt: '2026-01-01T00:00:01.000Z', endedAt: '2026-01-01T00:00:02.000Z' }),
    ]), undefined);
    assert.deepEqual(storeSamples(view).map((s) => [s.t - Date.parse('2026-01-01T00:00:00.000Z'), s.items]), [[0, 0], [2000, 30], [4000, 40]]);
  });
});
