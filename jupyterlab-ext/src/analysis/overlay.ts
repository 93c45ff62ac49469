/**
 * The analysis result as an overlay layer (pure): one channel of a
 * probability map through a colormap (its range [0, 1] when the values lie
 * there, else their min and max), or a label image with its class colours
 * (0 transparent). The viewer draws the RGBA pixels over the image at the
 * region's level-0 position, so it stays aligned at any zoom.
 */
import type { AnalysisOutput } from './runner.js';

export const COLORMAPS = ['magma', 'viridis', 'gray', 'fire'] as const;
export type Colormap = (typeof COLORMAPS)[number];

/** Control points (position 0…1, RGB), linearly interpolated; magma and viridis after matplotlib's. */
const STOPS: Record<Colormap, [number, [number, number, number]][]> = {
  magma: [[0, [0, 0, 4]], [0.25, [81, 18, 124]], [0.5, [183, 55, 121]], [0.75, [252, 137, 97]], [1, [252, 253, 191]]],
  viridis: [[0, [68, 1, 84]], [0.25, [59, 82, 139]], [0.5, [33, 145, 140]], [0.75, [94, 201, 98]], [1, [253, 231, 37]]],
  gray: [[0, [0, 0, 0]], [1, [255, 255, 255]]],
  fire: [[0, [0, 0, 0]], [0.33, [200, 0, 0]], [0.66, [255, 200, 0]], [1, [255, 255, 255]]],
};

export function isColormap(name: unknown): name is Colormap {
  return typeof name === 'string' && (COLORMAPS as readonly string[]).includes(name);
}

/** 256 RGB entries. */
export function colormapLut(name: Colormap): Uint8Array {
  const stops = STOPS[name];
  const lut = new Uint8Array(256 * 3);
  for (let i = 0; i < 256; i++) {
    const p = i / 255;
    let k = 0;
    while (k < stops.length - 2 && p > stops[k + 1][0]) k++;
    const [p0, c0] = stops[k];
    const [p1, c1] = stops[k + 1];
    const f = p1 > p0 ? (p - p0) / (p1 - p0) : 0;
    for (let j = 0; j < 3; j++) lut[i * 3 + j] = Math.round(c0[j] + (c1[j] - c0[j]) * f);
  }
  return lut;
}

/** The display range of a probability channel. */
export function valueRange(data: ArrayLike<number>, offset: number, length: number): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = offset; i < offset + length; i++) {
    const v = data[i];
    if (Number.isNaN(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  if (!Number.isFinite(lo)) return [0, 1];
  if (lo >= 0 && hi <= 1) return [0, 1];
  return hi > lo ? [lo, hi] : [lo, lo + 1];
}

/** RGBA pixels (height × width) of one output channel. */
export function overlayPixels(output: AnalysisOutput, channel: number, colormap: Colormap): { rgba: Uint8ClampedArray; range: [number, number] } {
  const n = output.width * output.height;
  const rgba = new Uint8ClampedArray(n * 4);
  const offset = Math.min(channel, output.channels - 1) * n;
  if (output.kind === 'labels') {
    const colors = output.classColors ?? [];
    for (let i = 0; i < n; i++) {
      const k = output.data[offset + i];
      if (!k) continue;
      const c = colors[k - 1] ?? [255, 255, 255];
      rgba.set([c[0], c[1], c[2], 255], i * 4);
    }
    return { rgba, range: [0, colors.length] };
  }
  const range = valueRange(output.data, offset, n);
  const lut = colormapLut(colormap);
  const scale = 255 / (range[1] - range[0]);
  for (let i = 0; i < n; i++) {
    const v = output.data[offset + i];
    if (Number.isNaN(v)) continue;
    const k = Math.max(0, Math.min(255, Math.round((v - range[0]) * scale))) * 3;
    const o = i * 4;
    rgba[o] = lut[k];
    rgba[o + 1] = lut[k + 1];
    rgba[o + 2] = lut[k + 2];
    rgba[o + 3] = 255;
  }
  return { rgba, range };
}
