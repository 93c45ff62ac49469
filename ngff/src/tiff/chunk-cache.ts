/**
 * Recently decoded strips and tiles of one file, bounded in bytes (LRU).
 * Callers often read a strip-organised TIFF in square blocks (zarr chunks);
 * without this every block in a row of blocks would decode the same strips again.
 */
import { ByteLru } from '../byte-lru.js';

export class ChunkCache {
  private readonly lru: ByteLru<string, Uint8Array>;

  constructor(budget: number) {
    this.lru = new ByteLru(budget);
  }

  get(key: string): Uint8Array | undefined {
    return this.lru.get(key);
  }

  /** Keep `data` (never modified afterwards by anyone) unless it would take over the budget. */
  set(key: string, data: Uint8Array): void {
    if (data.length > this.lru.budget / 4 || this.lru.has(key)) return;
    this.lru.set(key, data, data.length);
  }
}
