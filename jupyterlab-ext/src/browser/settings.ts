/** The browser's settings (schema/browser.json), read into a typed object with the schema's defaults. */
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';

export interface BrowserSettings {
  openZarrOnDoubleClick: boolean;
  /** 0: decide from the number of cores. */
  decodeWorkers: number;
  chunkCacheMiB: number;
  labelOpacity: number;
  autoContrastPercentiles: [number, number];
}

export function defaultSettings(): BrowserSettings {
  return { openZarrOnDoubleClick: true, decodeWorkers: 0, chunkCacheMiB: 256, labelOpacity: 0.5, autoContrastPercentiles: [0.1, 99.9] };
}

export function readSettings(composite: ReadonlyPartialJSONObject): BrowserSettings {
  const d = defaultSettings();
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  const p = composite.autoContrastPercentiles;
  return {
    openZarrOnDoubleClick: typeof composite.openZarrOnDoubleClick === 'boolean' ? composite.openZarrOnDoubleClick : d.openZarrOnDoubleClick,
    decodeWorkers: num(composite.decodeWorkers, d.decodeWorkers),
    chunkCacheMiB: num(composite.chunkCacheMiB, d.chunkCacheMiB),
    labelOpacity: num(composite.labelOpacity, d.labelOpacity),
    autoContrastPercentiles: Array.isArray(p) && p.length === 2 ? [num(p[0], 0.1), num(p[1], 99.9)] : d.autoContrastPercentiles,
  };
}
