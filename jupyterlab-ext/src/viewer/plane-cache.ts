/**
 * Decoded planes the viewer has asked for, by key, in least-recently-used
 * order and bounded by bytes. An entry is loading, loaded or failed (a failed
 * plane stays failed, so a corrupt chunk is asked for once, not on every frame).
 * Only loaded planes count against the budget and are ever dropped.
 */
import { ByteLru } from '@fairio/ngff/browser';
import type { PlaneData } from '../worker/protocol.js';

export type PlaneEntry = { state: 'loading' } | { state: 'loaded'; data: PlaneData; width: number; height: number } | { state: 'failed'; message: string };

type LoadedPlane = Extract<PlaneEntry, { state: 'loaded' }>;

export class PlaneCache {
  private readonly loaded: ByteLru<string, LoadedPlane>;
  /** Loading and failed planes: no bytes, kept until replaced or deleted. */
  private readonly pending = new Map<string, PlaneEntry>();

  constructor(budget: number) {
    this.loaded = new ByteLru(budget);
  }

  get(key: string): PlaneEntry | undefined {
    return this.loaded.get(key) ?? this.pending.get(key);
  }

  set(key: string, entry: PlaneEntry): void {
    this.delete(key);
    if (entry.state === 'loaded') this.loaded.set(key, entry, entry.data.byteLength);
    else this.pending.set(key, entry);
  }

  delete(key: string): void {
    this.loaded.delete(key);
    this.pending.delete(key);
  }

  get size(): number {
    return this.loaded.size + this.pending.size;
  }

  get loadedBytes(): number {
    return this.loaded.bytes;
  }
}
