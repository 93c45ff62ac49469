/**
 * The chunk worker's decoded chunks, by key, in least-recently-used order and
 * bounded by bytes (ngff's ByteLru, as the viewer's PlaneCache). A decode still
 * running is shared by concurrent requests and counts nothing until it has
 * finished, when it joins the LRU; so it is never dropped half-way and its
 * bytes are counted once, by the LRU that later drops them. A failed decode is
 * not kept: the next request tries again.
 */
import { ByteLru } from '@fairio/ngff/browser';

export class ChunkCache<T> {
  private readonly decoded: ByteLru<string, Promise<T>>;
  /** Decodes still running: no bytes, at most the worker's requests in flight. */
  private readonly running = new Map<string, Promise<T>>();

  /** `bytesOf`: the bytes a decoded value takes. */
  constructor(
    budget: number,
    private readonly bytesOf: (value: T) => number,
  ) {
    this.decoded = new ByteLru(budget);
  }

  /** The decoded or running decode of `key` (now the most recently used), else `decode()` started now (`fetched`). */
  get(key: string, decode: () => Promise<T>): { value: Promise<T>; fetched: boolean } {
    const known = this.decoded.get(key) ?? this.running.get(key);
    if (known) return { value: known, fetched: false };
    const value = decode();
    this.running.set(key, value);
    value.then(
      (data) => {
        this.running.delete(key);
        this.decoded.set(key, value, this.bytesOf(data));
      },
      () => this.running.delete(key),
    );
    return { value, fetched: true };
  }

  /** Bytes the decoded chunks take together. */
  get bytes(): number {
    return this.decoded.bytes;
  }
}
