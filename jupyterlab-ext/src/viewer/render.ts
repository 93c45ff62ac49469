/**
 * Turning pixel values into colours (pure): each visible channel maps its
 * contrast window [min, max] to black … its colour, channels add up (as in
 * OMERO and napari's additive blending), label images get a colour per label
 * id. Auto-contrast takes percentiles of the pixels on screen.
 */
import type { PlaneData } from '../worker/protocol.js';

export interface ChannelDisplay {
  label: string;
  visible: boolean;
  /** 0–255 each. */
  color: [number, number, number];
  min: number;
  max: number;
}

/** OMERO's 'RRGGBB' (or '#RRGGBB') to a colour; white when unreadable. */
export function parseColor(hex: string | undefined): [number, number, number] {
  const m = /^#?([0-9a-f]{6})$/i.exec(hex ?? '');
  if (!m) return [255, 255, 255];
  const n = parseInt(m[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

export function toHex(color: [number, number, number]): string {
  return `#${color.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
}

/** Default colours for channels without OMERO metadata: one channel grey, else as Fiji's composite. */
export function defaultColor(index: number, count: number): [number, number, number] {
  if (count === 1) return [255, 255, 255];
  const palette: [number, number, number][] = [[255, 0, 255], [0, 255, 0], [0, 255, 255], [255, 0, 0], [255, 255, 0], [0, 0, 255], [255, 255, 255]];
  return palette[index % palette.length];
}

/**
 * RGBA of `width × height` pixels from one plane per channel (undefined
 * planes are skipped): additive, clamped; alpha 255.
 */
export function compositeChannels(planes: (PlaneData | undefined)[], channels: ChannelDisplay[], width: number, height: number, out: Uint8ClampedArray): void {
  const n = width * height;
  const acc = new Float32Array(n * 3);
  channels.forEach((channel, c) => {
    const plane = planes[c];
    if (!channel.visible || !plane) return;
    const span = channel.max - channel.min;
    const scale = span > 0 ? 1 / span : 0;
    const [r, g, b] = channel.color;
    for (let i = 0; i < n; i++) {
      let v = (plane[i] - channel.min) * scale;
      if (span <= 0) v = plane[i] > channel.min ? 1 : 0;
      if (!(v > 0)) continue;
      if (v > 1) v = 1;
      acc[i * 3] += r * v;
      acc[i * 3 + 1] += g * v;
      acc[i * 3 + 2] += b * v;
    }
  });
  for (let i = 0; i < n; i++) {
    out[i * 4] = acc[i * 3];
    out[i * 4 + 1] = acc[i * 3 + 1];
    out[i * 4 + 2] = acc[i * 3 + 2];
    out[i * 4 + 3] = 255;
  }
}

/** A stable, well-spread colour for a label id (golden-angle hues). */
export function labelColor(id: number): [number, number, number] {
  const hue = ((id * 137.50776) % 360) / 60;
  const x = 1 - Math.abs((hue % 2) - 1);
  const [r, g, b] = hue < 1 ? [1, x, 0] : hue < 2 ? [x, 1, 0] : hue < 3 ? [0, 1, x] : hue < 4 ? [0, x, 1] : hue < 5 ? [x, 0, 1] : [1, 0, x];
  return [Math.round(r * 255), Math.round(g * 255), Math.round(b * 255)];
}

/** RGBA of a label plane: label 0 transparent, others their colour at full alpha (opacity is applied when drawing). */
export function colorLabels(plane: PlaneData, width: number, height: number, out: Uint8ClampedArray, colors?: Map<number, [number, number, number]>): void {
  const n = width * height;
  let lastId = 0;
  let last: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const id = plane[i];
    if (id === 0) {
      out[i * 4 + 3] = 0;
      continue;
    }
    if (id !== lastId) {
      lastId = id;
      last = colors?.get(id) ?? labelColor(id);
    }
    out[i * 4] = last[0];
    out[i * 4 + 1] = last[1];
    out[i * 4 + 2] = last[2];
    out[i * 4 + 3] = 255;
  }
}

/** Percentiles (0–100) of the values of several planes, by sorting a bounded sample. */
export function percentiles(planes: PlaneData[], ps: number[], maxSamples = 200_000): number[] {
  const total = planes.reduce((n, p) => n + p.length, 0);
  if (total === 0) return ps.map(() => 0);
  const step = Math.max(1, Math.floor(total / maxSamples));
  const sample: number[] = [];
  let k = 0;
  for (const plane of planes) {
    for (let i = (step - (k % step)) % step; i < plane.length; i += step) if (Number.isFinite(plane[i])) sample.push(plane[i]);
    k += plane.length;
  }
  const sorted = Float64Array.from(sample).sort();
  if (sorted.length === 0) return ps.map(() => 0);
  // numpy's default 'linear' interpolation.
  return ps.map((p) => {
    const pos = (Math.min(100, Math.max(0, p)) / 100) * (sorted.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.min(sorted.length - 1, lo + 1);
    return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo);
  });
}

/** The range of a data type, for channels without a window. */
export function dtypeRange(dtype: string): [number, number] {
  switch (dtype) {
    case 'bool':
      return [0, 1];
    case 'uint8':
      return [0, 255];
    case 'int8':
      return [-128, 127];
    case 'uint16':
      return [0, 65535];
    case 'int16':
      return [-32768, 32767];
    default:
      return [0, 1];
  }
}
