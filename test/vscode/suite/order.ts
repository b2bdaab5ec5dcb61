// The order the suite runs in: as written, reversed, or shuffled with a seed (printed, so that a
// failing order can be run again). Files, describes and the tests inside each describe move; hooks
// stay with their describe. Set by FERRY_TEST_ORDER=reverse|shuffle|shuffle:SEED.
import { createHash, randomInt } from 'node:crypto';
import type Mocha from 'mocha';

export interface Order {
  kind: 'as written' | 'reverse' | 'shuffle';
  seed?: number;
}

/** Reads FERRY_TEST_ORDER; an unknown value is an error rather than a silent default. */
export function orderFrom(value: string | undefined): Order {
  if (!value) return { kind: 'as written' };
  if (value === 'reverse') return { kind: 'reverse' };
  const shuffle = /^shuffle(?::(\d+))?$/.exec(value);
  if (shuffle) return { kind: 'shuffle', seed: shuffle[1] === undefined ? randomInt(2 ** 31 - 1) : Number(shuffle[1]) };
  throw new Error(`FERRY_TEST_ORDER=${value}: expected reverse, shuffle or shuffle:SEED`);
}

export function describeOrder(order: Order): string {
  return order.kind === 'shuffle' ? `shuffle:${order.seed}` : order.kind;
}

/** A seeded shuffle: sorted by a hash of the seed and each title, so a seed always gives the same order. */
function reorder<T extends { title: string }>(list: T[], order: Order): void {
  if (order.kind === 'reverse') list.reverse();
  if (order.kind !== 'shuffle') return;
  const rank = new Map(list.map((x, i) => [x, createHash('sha256').update(`${order.seed}:${x.title}:${i}`).digest('hex')]));
  list.sort((a, b) => rank.get(a)!.localeCompare(rank.get(b)!));
}

/** Reorders a loaded suite in place, recursively. */
export function applyOrder(suite: Mocha.Suite, order: Order): void {
  reorder(suite.suites, order);
  reorder(suite.tests, order);
  for (const child of suite.suites) applyOrder(child, order);
}
