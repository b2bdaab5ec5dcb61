// mulberry32: a small, fast, seeded PRNG (uniform in [0, 1)), so generated workloads and fuzz cases
// are the same on every run of a seed. Used by test/fuzz and scripts/bench-imap.mjs (compiled).
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
