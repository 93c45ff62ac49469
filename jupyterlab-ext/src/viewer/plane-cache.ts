/**
 * Decoded planes the viewer has asked for, by key, in least-recently-used
 * order and bounded by bytes. An entry is loading, loaded or failed (a failed
 * plane stays failed, so a corrupt chunk is asked for once, not on every frame).
 */
import type { PlaneData } from '../worker/protocol.js';

export type PlaneEntry = { state: 'loading' } | { state: 'loaded'; data: PlaneData; width: number; height: number } | { state: 'failed'; message: string };

export class PlaneCache {
  private readonly entries = new Map<string, PlaneEntry>();
  private bytes = 0;

  constructor(private readonly budget: number) {}

  get(key: string): PlaneEntry | undefined {
    const entry = this.entries.get(key);
    if (entry?.state === 'loaded') {
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  set(key: string, entry: PlaneEntry): void {
    this.delete(key);
    this.entries.set(key, entry);
    if (entry.state === 'loaded') {
      this.bytes += entry.data.byteLength;
      for (const [k, e] of this.entries) {
        if (this.bytes <= this.budget) break;
        if (e.state === 'loaded' && k !== key) this.delete(k);
      }
    }
  }

  delete(key: string): void {
    const old = this.entries.get(key);
    if (old?.state === 'loaded') this.bytes -= old.data.byteLength;
    this.entries.delete(key);
  }

  get size(): number {
    return this.entries.size;
  }

  get loadedBytes(): number {
    return this.bytes;
  }
}
