// Consecutive runs of a list within a count and a byte budget (by the sizes known): batches to
// write, contents to fetch. An element larger than the budget goes alone.

/** `items` in order, split into runs of at most `limits.items` elements and `limits.bytes` bytes. */
export function chunksWithin<T>(items: readonly T[], sizeOf: (item: T) => number, limits: { items: number; bytes: number }): T[][] {
  const chunks: T[][] = [];
  let chunk: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (chunk.length > 0 && (chunk.length >= limits.items || bytes + size > limits.bytes)) {
      chunks.push(chunk);
      chunk = [];
      bytes = 0;
    }
    chunk.push(item);
    bytes += size;
  }
  if (chunk.length > 0) chunks.push(chunk);
  return chunks;
}
