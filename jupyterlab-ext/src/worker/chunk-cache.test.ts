import { describe, expect, it } from 'vitest';
import { ChunkCache } from './chunk-cache.js';

/** A cache of byte arrays plus the keys it asked to decode, in order. */
function setup(budget: number) {
  const cache = new ChunkCache<Uint8Array>(budget, (data) => data.byteLength);
  const decoded: string[] = [];
  /** Ask for `key`; its decode (if the cache starts one) gives `bytes` bytes at once, or when `later` resolves. */
  const get = (key: string, bytes: number, later?: Promise<void>) =>
    cache.get(key, async () => {
      decoded.push(key);
      await later;
      return new Uint8Array(bytes);
    });
  return { cache, decoded, get };
}

function deferred() {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  return { promise, resolve, reject };
}

/** Lets every settled decode reach the cache. */
const settle = () => new Promise((resolve) => setTimeout(resolve));

describe('ChunkCache', () => {
  it('drops the least recently used chunks over its budget, a hit counting as a use', async () => {
    const { cache, decoded, get } = setup(10);
    await get('a', 4).value;
    await get('b', 4).value;
    await get('a', 4).value; // now b is the least recently used
    await get('c', 4).value;
    await settle();
    expect([get('a', 4).fetched, get('c', 4).fetched, cache.bytes]).toEqual([false, false, 8]);
    expect(decoded).toEqual(['a', 'b', 'c']);
  });

  it('shares a running decode with concurrent requests', async () => {
    const { decoded, get } = setup(10);
    const slow = deferred();
    const first = get('a', 4, slow.promise);
    const second = get('a', 4);
    slow.resolve();
    expect([first.fetched, second.fetched]).toEqual([true, false]);
    expect(await second.value).toBe(await first.value);
    expect(decoded).toEqual(['a']);
  });

  it('keeps no failed decode: the next request decodes again', async () => {
    const { cache, decoded, get } = setup(10);
    const failing = deferred();
    const first = get('a', 4, failing.promise);
    failing.reject(new Error('corrupt chunk'));
    await expect(first.value).rejects.toThrow('corrupt chunk');
    await settle();
    expect(cache.bytes).toBe(0);
    expect(await get('a', 4).value).toHaveLength(4);
    expect(decoded).toEqual(['a', 'a']);
  });

  it('counts only the chunks it holds, however long the session and whatever finishes while others decode', async () => {
    const { cache, decoded, get } = setup(10);
    // Each round one slow decode runs while two quick ones fill the budget (the viewer pans on).
    for (let round = 0; round < 20; round++) {
      const slow = deferred();
      const running = get(`slow${round}`, 6, slow.promise);
      await get(`quick${round}a`, 6).value;
      await get(`quick${round}b`, 6).value;
      await settle();
      slow.resolve();
      await running.value;
      await settle();
      expect(cache.bytes).toBeLessThanOrEqual(10);
    }
    // Two 5-byte chunks fit the budget, so asking for them again decodes nothing.
    await get('x', 5).value;
    await get('y', 5).value;
    await settle();
    expect([get('x', 5).fetched, get('y', 5).fetched, cache.bytes]).toEqual([false, false, 10]);
    expect(decoded.slice(-2)).toEqual(['x', 'y']);
  });
});
