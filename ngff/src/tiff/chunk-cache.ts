/**
 * Recently decoded strips and tiles of one file, bounded in bytes (LRU).
 * Callers often read a strip-organised TIFF in square blocks (zarr chunks);
 * without this every block in a row of blocks would decode the same strips again.
 */
export class ChunkCache {
  private readonly entries = new Map<string, Uint8Array>();
  private bytes = 0;

  constructor(private readonly budget: number) {}

  get(key: string): Uint8Array | undefined {
    const data = this.entries.get(key);
    if (data) {
      // Refresh: Map iteration order is insertion order, oldest first.
      this.entries.delete(key);
      this.entries.set(key, data);
    }
    return data;
  }

  /** Keep `data` (never modified afterwards by anyone) unless it would take over the budget. */
  set(key: string, data: Uint8Array): void {
    if (data.length > this.budget / 4 || this.entries.has(key)) return;
    this.entries.set(key, data);
    this.bytes += data.length;
    for (const [oldKey, old] of this.entries) {
      if (this.bytes <= this.budget) break;
      this.entries.delete(oldKey);
      this.bytes -= old.length;
    }
  }
}
