/**
 * Bounded concurrency: map items through an async function with at most
 * `limit` calls started but not yet consumed, so that a converter reading a
 * multi-GiB image holds only a few blocks in memory at a time.
 */

/**
 * Yields `fn(item, index)` for each item, in the order of the items, with at
 * most `limit` results pending (started and not yet taken by the consumer).
 * Items are pulled lazily, so `items` may be a generator over a huge grid.
 * The first error is thrown when its result is reached; calls already started
 * are then awaited before the generator finishes.
 */
export async function* boundedMap<T, R>(
  items: Iterable<T> | AsyncIterable<T>,
  fn: (item: T, index: number) => R | Promise<R>,
  limit: number,
): AsyncGenerator<Awaited<R>, void, undefined> {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limit must be a positive integer, got ${limit}`);
  const iterator =
    Symbol.asyncIterator in items ? (items as AsyncIterable<T>)[Symbol.asyncIterator]() : (items as Iterable<T>)[Symbol.iterator]();
  const pending: Promise<Awaited<R>>[] = [];
  let index = 0;
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && pending.length < limit) {
        const next = await iterator.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const i = index++;
        const result = (async () => fn(next.value, i))() as Promise<Awaited<R>>;
        result.catch(() => undefined); // reported when its turn comes, not as unhandled
        pending.push(result);
      }
      const head = pending.shift();
      if (!head) return;
      yield await head;
    }
  } finally {
    await Promise.allSettled(pending);
    if (!exhausted) await iterator.return?.();
  }
}
