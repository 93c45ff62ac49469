import { describe, expect, it } from 'vitest';
import { PlaneCache, type PlaneEntry } from './plane-cache.js';

const loaded = (bytes: number): PlaneEntry => ({ state: 'loaded', data: new Uint8Array(bytes), width: bytes, height: 1 });

describe('PlaneCache', () => {
  it('drops the least recently used loaded planes over its budget, never the loading or failed ones', () => {
    const cache = new PlaneCache(10);
    cache.set('failed', { state: 'failed', message: 'corrupt chunk' });
    cache.set('a', loaded(4));
    cache.set('loading', { state: 'loading' });
    cache.set('b', loaded(4));
    cache.get('a'); // now b is the least recently used loaded plane
    cache.set('c', loaded(4));
    expect(['failed', 'a', 'loading', 'b', 'c'].map((k) => cache.get(k)?.state)).toEqual(['failed', 'loaded', 'loading', undefined, 'loaded']);
    expect([cache.size, cache.loadedBytes]).toEqual([4, 8]);
  });

  it('counts a plane once it is loaded, and no longer once it is replaced or deleted', () => {
    const cache = new PlaneCache(100);
    cache.set('a', { state: 'loading' });
    expect(cache.loadedBytes).toBe(0);
    cache.set('a', loaded(30));
    expect([cache.size, cache.loadedBytes]).toEqual([1, 30]);
    cache.set('a', { state: 'failed', message: 'gone' });
    expect([cache.size, cache.loadedBytes, cache.get('a')?.state]).toEqual([1, 0, 'failed']);
    cache.set('b', loaded(20));
    cache.delete('b');
    cache.delete('a');
    expect([cache.size, cache.loadedBytes]).toEqual([0, 0]);
  });

  it('keeps the plane just loaded even when it alone is over the budget', () => {
    const cache = new PlaneCache(10);
    cache.set('a', loaded(4));
    cache.set('big', loaded(40));
    expect([cache.get('a'), cache.get('big')?.state, cache.loadedBytes]).toEqual([undefined, 'loaded', 40]);
  });
});
