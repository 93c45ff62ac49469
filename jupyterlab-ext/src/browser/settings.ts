/** The browser's settings (schema/browser.json), read into a typed object with the schema's defaults. */
import type { ReadonlyPartialJSONObject } from '@lumino/coreutils';
import { isColormap, type Colormap } from '../analysis/overlay.js';

export interface BrowserSettings {
  openZarrOnDoubleClick: boolean;
  /** 0: decide from the number of cores. */
  decodeWorkers: number;
  chunkCacheMiB: number;
  labelOpacity: number;
  autoContrastPercentiles: [number, number];
  /** Analyses from the viewer: tile size (0: the tool's default), overlay opacity and colormap, where runs go ('' = next to the image), largest region. */
  analysisTileSize: number;
  analysisOpacity: number;
  analysisColormap: Colormap;
  analysisFolder: string;
  analysisMaxMegapixels: number;
}

export function defaultSettings(): BrowserSettings {
  return { openZarrOnDoubleClick: true, decodeWorkers: 0, chunkCacheMiB: 256, labelOpacity: 0.5, autoContrastPercentiles: [0.1, 99.9], analysisTileSize: 0, analysisOpacity: 0.6, analysisColormap: 'magma', analysisFolder: '', analysisMaxMegapixels: 16 };
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
    analysisTileSize: num(composite.analysisTileSize, d.analysisTileSize),
    analysisOpacity: num(composite.analysisOpacity, d.analysisOpacity),
    analysisColormap: isColormap(composite.analysisColormap) ? composite.analysisColormap : d.analysisColormap,
    analysisFolder: typeof composite.analysisFolder === 'string' ? composite.analysisFolder.trim().replace(/^\/+|\/+$/g, '') : d.analysisFolder,
    analysisMaxMegapixels: num(composite.analysisMaxMegapixels, d.analysisMaxMegapixels),
  };
}
