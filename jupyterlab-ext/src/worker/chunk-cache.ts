/**
 * The chunk worker's decoded chunks, by key, bounded by bytes. Decodes still
 * running are shared by concurrent requests; a failed decode is not kept.
 */
export class ChunkCache<T> {
  /** Recently decoded chunks (insertion order = age), bounded by bytes. */
  private readonly chunks = new Map<string, Promise<T>>();
  private readonly sizes = new Map<string, number>();
  private cachedBytes = 0;

  /** `bytesOf`: the bytes a decoded value takes. */
  constructor(
    private readonly budget: number,
    private readonly bytesOf: (value: T) => number,
  ) {}

  /** The cached or running decode of `key`, else `decode()` started now (`fetched`). */
  get(key: string, decode: () => Promise<T>): { value: Promise<T>; fetched: boolean } {
    let entry = this.chunks.get(key);
    const fetched = entry === undefined;
    if (!entry) {
      entry = decode();
      this.chunks.set(key, entry);
      entry.then(
        (value) => {
          const size = this.bytesOf(value);
          this.sizes.set(key, size);
          this.cachedBytes += size;
          this.evict();
        },
        () => this.chunks.delete(key),
      );
    }
    return { value: entry, fetched };
  }

  /** Bytes the decoded chunks take together. */
  get bytes(): number {
    return this.cachedBytes;
  }

  private evict(): void {
    for (const [key] of this.chunks) {
      if (this.cachedBytes <= this.budget) return;
      this.cachedBytes -= this.sizes.get(key) ?? 0;
      this.sizes.delete(key);
      this.chunks.delete(key);
    }
  }
}
