/**
 * 2× downsampling of one block for the next pyramid level, in y and x (the
 * last two axes), as ome-zarr-py's default scaler does: the mean of each 2×2
 * window for intensities (rounded to nearest for integer types, so repeated
 * levels do not drift darker), and the mode for label images, so that a label
 * never becomes a value that was not there. At an odd edge the window holds
 * the pixels that exist.
 */
import type { SpareArrays } from '../blocks/spare.js';
import { mean2x2Float32, mean2x2Uint16 } from '../kernels/index.js';
import type { TypedArray } from '../zarr/index.js';

export type Downsampling = 'mean' | 'mode';

/** Shape after halving the last two axes (ceil, so an odd edge keeps its last pixel). */
export function downsampledShape(shape: number[]): number[] {
  const n = shape.length;
  return shape.map((s, i) => (i >= n - 2 ? Math.ceil(s / 2) : s));
}

/** The most frequent of up to four values; ties go to the larger value so background (0) never wins a tie. */
function mode4(v: number[], count: number): number {
  let best = v[0];
  let bestCount = 0;
  for (let i = 0; i < count; i++) {
    let c = 0;
    for (let j = 0; j < count; j++) if (v[j] === v[i]) c++;
    if (c > bestCount || (c === bestCount && v[i] > best)) {
      best = v[i];
      bestCount = c;
    }
  }
  return best;
}

/** Downsample a C-order block of `shape` in y and x; returns an array of the same type (from `spare` when given). */
export function downsampleBlock<T extends TypedArray>(data: T, shape: number[], method: Downsampling, spare?: SpareArrays): T {
  const n = shape.length;
  const h = shape[n - 2];
  const w = shape[n - 1];
  const planes = shape.slice(0, n - 2).reduce((a, b) => a * b, 1);
  const oh = Math.ceil(h / 2);
  const ow = Math.ceil(w / 2);
  const type = data.constructor as new (length: number) => T;
  // Every output pixel is written below, so a reused buffer is fine.
  const out = spare ? spare.take(type, planes * oh * ow) : new type(planes * oh * ow);
  const src = data as unknown as ArrayLike<number>;
  const dst = out as unknown as number[];
  const round = !(data instanceof Float32Array || data instanceof Float64Array);
  if (method === 'mean' && (data instanceof Uint16Array || data instanceof Uint8Array || data instanceof Int16Array || data instanceof Int8Array)) {
    meanSmallInt(data, out as unknown as typeof data, planes, h, w);
    return out;
  }
  if (method === 'mean') {
    meanLoop(src, dst, planes, h, w, round);
    return out;
  }
  const window = [0, 0, 0, 0];
  for (let p = 0; p < planes; p++) {
    const inPlane = p * h * w;
    const outPlane = p * oh * ow;
    for (let oy = 0; oy < oh; oy++) {
      const y0 = inPlane + 2 * oy * w;
      const hasY1 = 2 * oy + 1 < h;
      for (let ox = 0; ox < ow; ox++) {
        const x = 2 * ox;
        const hasX1 = x + 1 < w;
        let count = 0;
        window[count++] = src[y0 + x];
        if (hasX1) window[count++] = src[y0 + x + 1];
        if (hasY1) {
          window[count++] = src[y0 + w + x];
          if (hasX1) window[count++] = src[y0 + w + x + 1];
        }
        let value: number;
        if (method === 'mode') {
          value = mode4(window, count);
        } else {
          let sum = 0;
          for (let i = 0; i < count; i++) sum += window[i];
          value = round ? Math.round(sum / count) : sum / count;
        }
        dst[outPlane + oy * ow + ox] = value;
      }
    }
  }
  return out;
}

/**
 * Calls `row(r0, r1, o)` for every output row of every plane: the offsets of
 * its two input rows (r1 = −1 for the odd last row of a plane) and of the
 * output row.
 */
function eachRowPair(planes: number, h: number, w: number, row: (r0: number, r1: number, o: number) => void): void {
  const oh = Math.ceil(h / 2);
  const ow = Math.ceil(w / 2);
  for (let p = 0; p < planes; p++) {
    for (let oy = 0; oy < oh; oy++) {
      const r0 = p * h * w + 2 * oy * w;
      row(r0, 2 * oy + 1 < h ? r0 + w : -1, p * oh * ow + oy * ow);
    }
  }
}

/**
 * The 2×2 mean without a window array: whole windows in one tight loop, then
 * the odd last column and row. Same arithmetic as the general loop (the sum
 * over the pixels that exist, divided by their count, `Math.round` for
 * integers). float32: the full row pairs' first columns in WebAssembly SIMD
 * (the same float64 sums in the same order, bit for bit), the rest here.
 */
function meanLoop(src: ArrayLike<number>, dst: number[], planes: number, h: number, w: number, round: boolean): void {
  const fullW = w >> 1;
  const oddW = fullW < Math.ceil(w / 2);
  const done = src instanceof Float32Array && dst instanceof Float32Array ? mean2x2Float32(src, dst, planes, h, w) : 0;
  eachRowPair(planes, h, w, (r0, r1, o) => {
    if (r1 >= 0) {
      if (round) {
        for (let ox = 0; ox < fullW; ox++) {
          const x = r0 + 2 * ox;
          const y = r1 + 2 * ox;
          dst[o + ox] = Math.round((src[x] + src[x + 1] + src[y] + src[y + 1]) / 4);
        }
      } else {
        for (let ox = done; ox < fullW; ox++) {
          const x = r0 + 2 * ox;
          const y = r1 + 2 * ox;
          dst[o + ox] = (src[x] + src[x + 1] + src[y] + src[y + 1]) / 4;
        }
      }
      if (oddW) {
        const sum = src[r0 + w - 1] + src[r1 + w - 1];
        dst[o + fullW] = round ? Math.round(sum / 2) : sum / 2;
      }
    } else {
      for (let ox = 0; ox < fullW; ox++) {
        const sum = src[r0 + 2 * ox] + src[r0 + 2 * ox + 1];
        dst[o + ox] = round ? Math.round(sum / 2) : sum / 2;
      }
      if (oddW) dst[o + fullW] = src[r0 + w - 1];
    }
  });
}

/**
 * The 2×2 mean for 8- and 16-bit integers, whose sums fit in 32 bits:
 * `Math.round(sum / 4)` is `⌊sum / 4 + ½⌋ = (sum + 2) >> 2` (and `(sum + 1) >> 1`
 * for two pixels), for negative sums too.
 */
function meanSmallInt(src: Uint16Array | Uint8Array | Int16Array | Int8Array, dst: Uint16Array | Uint8Array | Int16Array | Int8Array, planes: number, h: number, w: number): void {
  const fullW = w >> 1;
  const oddW = fullW < Math.ceil(w / 2);
  // uint16: the full row pairs' first columns in WebAssembly SIMD (same arithmetic), the rest below.
  const done = src instanceof Uint16Array && dst instanceof Uint16Array ? mean2x2Uint16(src, dst, planes, h, w) : 0;
  eachRowPair(planes, h, w, (r0, r1, o) => {
    if (r1 >= 0) {
      for (let ox = done, x = r0 + 2 * done, y = r1 + 2 * done; ox < fullW; ox++, x += 2, y += 2) {
        dst[o + ox] = (src[x] + src[x + 1] + src[y] + src[y + 1] + 2) >> 2;
      }
      if (oddW) dst[o + fullW] = (src[r0 + w - 1] + src[r1 + w - 1] + 1) >> 1;
    } else {
      for (let ox = 0, x = r0; ox < fullW; ox++, x += 2) dst[o + ox] = (src[x] + src[x + 1] + 1) >> 1;
      if (oddW) dst[o + fullW] = src[r0 + w - 1];
    }
  });
}
