/** Bounded concurrency without a dependency: what a source uses to fan out its probes. */

/** `fn` over `items` with at most `limit` in flight; results in input order. `stop()` skips what has not started. */
export async function mapBounded<T, R>(items: readonly T[], limit: number, fn: (item: T, stop: () => void) => Promise<R>): Promise<(R | undefined)[]> {
  const out: (R | undefined)[] = new Array(items.length);
  let next = 0;
  let stopped = false;
  const stop = () => void (stopped = true);
  const worker = async () => {
    while (!stopped && next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, stop);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
