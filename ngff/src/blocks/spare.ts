/**
 * Pixel buffers kept for reuse. Streaming an image allocates the same few
 * block sizes over and over; refilling a buffer that is done with, instead
 * of allocating a fresh one, spares the page faults of new memory and the
 * garbage collections that large allocations trigger.
 */
import type { TypedArray } from '../zarr/types.js';

export class SpareArrays {
  readonly #kept: TypedArray[] = [];

  /** Keep at most `limit` buffers (the oldest go first). */
  constructor(private readonly limit = 8) {}

  /** A buffer of this type and length: a kept one (with stale contents) or a new one (zeros). */
  take<T extends TypedArray>(type: new (length: number) => T, length: number): T {
    const at = this.#kept.findIndex((a) => a.length === length && a.constructor === type);
    return at < 0 ? new type(length) : (this.#kept.splice(at, 1)[0] as T);
  }

  /**
   * Hand back a buffer nobody reads any more. Views on part of a buffer and
   * buffers moved to another thread (detached) are not kept.
   */
  give(array: TypedArray): void {
    if (array.byteLength === 0 || array.byteOffset !== 0 || array.byteLength !== array.buffer.byteLength) return;
    if (this.#kept.includes(array)) return;
    if (this.#kept.length >= this.limit) this.#kept.shift();
    this.#kept.push(array);
  }
}
