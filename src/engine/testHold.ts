// A deterministic hold point for kill tests. With FERRY_TEST_HOLD=<point>:<n> in the environment,
// the nth arrival of this process at <point> writes `ferry-test-hold <point> <n>` to stderr and
// never returns (the process stays alive), so a test can kill -9 it exactly there: after the
// intents of a write are committed and before the write (`before-write`), or after the destination
// took it and before its watermarks are (`after-write`). Unset (always, outside tests): nothing.
export type HoldPoint = 'before-write' | 'after-write';

const arrivals = new Map<HoldPoint, number>();

export async function holdPoint(point: HoldPoint): Promise<void> {
  const wanted = /^([a-z-]+):(\d+)$/.exec(process.env.FERRY_TEST_HOLD ?? '');
  if (!wanted || wanted[1] !== point) return;
  const n = (arrivals.get(point) ?? 0) + 1;
  arrivals.set(point, n);
  if (n !== Number(wanted[2])) return;
  process.stderr.write(`ferry-test-hold ${point} ${n}\n`);
  // A timer keeps the process alive while it waits for its kill.
  setInterval(() => undefined, 60_000);
  await new Promise<never>(() => undefined);
}
