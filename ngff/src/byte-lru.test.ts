import { describe, expect, it } from 'vitest';
import { ByteLru } from './byte-lru.js';

const keys = (lru: ByteLru<string, unknown>, candidates: string[]) => candidates.filter((k) => lru.has(k));

describe('ByteLru', () => {
  it('drops the least recently used values once their bytes exceed the budget', () => {
    const lru = new ByteLru<string, string>(10);
    lru.set('a', 'A', 4);
    lru.set('b', 'B', 4);
    expect(lru.get('a')).toBe('A'); // a is now the most recently used, b the least
    lru.set('c', 'C', 4);
    expect(keys(lru, ['a', 'b', 'c'])).toEqual(['a', 'c']);
    expect([lru.bytes, lru.size]).toEqual([8, 2]);
  });

  it('peek and has leave the order as it is', () => {
    const lru = new ByteLru<string, number>(8);
    lru.set('a', 1, 4);
    lru.set('b', 2, 4);
    expect([lru.peek('a'), lru.has('a'), lru.peek('x')]).toEqual([1, true, undefined]);
    lru.set('c', 3, 4);
    expect(keys(lru, ['a', 'b', 'c'])).toEqual(['b', 'c']);
  });

  it('replaces the value of a key, counting only the new bytes', () => {
    const lru = new ByteLru<string, string>(10);
    lru.set('a', 'old', 6);
    lru.set('b', 'B', 2);
    lru.set('a', 'new', 3);
    expect([lru.get('a'), lru.bytes, lru.size]).toEqual(['new', 5, 2]);
  });

  it('keeps a value larger than the budget, alone', () => {
    const lru = new ByteLru<string, string>(10);
    lru.set('a', 'A', 4);
    lru.set('big', 'BIG', 25);
    expect(keys(lru, ['a', 'big'])).toEqual(['big']);
    expect(lru.bytes).toBe(25);
    lru.set('b', 'B', 1);
    expect(keys(lru, ['a', 'big', 'b'])).toEqual(['b']);
    expect(lru.bytes).toBe(1);
  });

  it('deletes, and values of no bytes are never what brings it over', () => {
    const lru = new ByteLru<number, string>(4);
    lru.set(1, 'one', 0);
    lru.set(2, 'two', 4);
    expect([lru.size, lru.bytes]).toEqual([2, 4]);
    expect(lru.delete(2)).toBe(true);
    expect(lru.delete(2)).toBe(false);
    expect([lru.size, lru.bytes, lru.get(2), lru.get(1)]).toEqual([1, 0, undefined, 'one']);
  });
});
