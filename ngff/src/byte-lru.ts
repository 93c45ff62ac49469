/**
 * A least-recently-used map bounded by the bytes its values take: what
 * fairio's caches of decoded data (TIFF strips, model-input chunks, viewer
 * planes) share. Each cache keeps its own rule for what it lets in.
 *
 * ```ts
 * const planes = new ByteLru<string, Uint16Array>(64 * 2 ** 20);
 * planes.set('c0/z3', data, data.byteLength); // drops the least recently used others while over 64 MiB
 * planes.get('c0/z3'); // data, now the most recently used
 * ```
 */
export class ByteLru<K, V> {
  // Map iteration order is insertion order: least recently used first.
  private readonly entries = new Map<K, { value: V; bytes: number }>();
  private total = 0;

  constructor(readonly budget: number) {}

  /** The value of `key`, now the most recently used. */
  get(key: K): V | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.value;
  }

  /** The value of `key`, leaving the order as it is. */
  peek(key: K): V | undefined {
    return this.entries.get(key)?.value;
  }

  has(key: K): boolean {
    return this.entries.has(key);
  }

  /**
   * Keep `value` (taking `bytes`) as the most recently used value of `key`, in place of any
   * other, then drop the least recently used others until the total is within the budget
   * (a value over the budget on its own is kept, alone).
   */
  set(key: K, value: V, bytes: number): void {
    this.delete(key);
    this.entries.set(key, { value, bytes });
    this.total += bytes;
    for (const oldest of this.entries.keys()) {
      if (this.total <= this.budget || oldest === key) break;
      this.delete(oldest);
    }
  }

  delete(key: K): boolean {
    const entry = this.entries.get(key);
    if (!entry) return false;
    this.entries.delete(key);
    this.total -= entry.bytes;
    return true;
  }

  /** Bytes the values take together. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }
}
