/**
 * A field is a block of one-channel float pixels (2D: y, x; 3D: z, y, x) that
 * knows where it lies: `origin` is the position of its first pixel in the
 * coordinates of the block being processed. Separable convolution along one
 * axis reads the field and writes only the range [lo, hi) that later steps
 * need, so halos shrink as the filters go and nothing outside the block is
 * computed twice.
 *
 * Border rule (vigra's BORDER_TREATMENT_REFLECT): outside the field, pixels
 * are mirrored about the edge pixel without repeating it (… c b | a b c …).
 * The edge of a field is either the image edge, where this is exactly what
 * vigra does on the whole image, or lies a halo away from the pixels kept.
 */
import type { Kernel1D } from './kernels.js';

export interface Field {
  data: Float32Array;
  shape: number[];
  origin: number[];
}

export function fieldSize(shape: number[]): number {
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Mirror index i into [0, n) without repeating the edge pixel (periodic for very short lines). */
export function reflectIndex(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  let j = i % period;
  if (j < 0) j += period;
  return j < n ? j : period - j;
}

/** A field over the whole of `data`, with its origin at `origin` (default 0). */
export function field(data: Float32Array, shape: number[], origin?: number[]): Field {
  if (data.length !== fieldSize(shape)) throw new RangeError(`field of shape [${shape.join(', ')}] needs ${fieldSize(shape)} values, not ${data.length}`);
  return { data, shape, origin: origin ?? shape.map(() => 0) };
}

/**
 * Convolve `src` along `axis` with `kernel`, keeping positions [lo, hi) of
 * that axis (in block coordinates); other axes keep their extent.
 */
export function convolveAxis(src: Field, axis: number, kernel: Kernel1D, lo: number, hi: number): Field {
  const { shape, data } = src;
  const n = shape[axis];
  const start = lo - src.origin[axis];
  const length = hi - lo;
  if (start < 0 || start + length > n || length <= 0) {
    throw new RangeError(`convolution range [${lo}, ${hi}) lies outside the field [${src.origin[axis]}, ${src.origin[axis] + n}) along axis ${axis}`);
  }
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const outShape = [...shape];
  outShape[axis] = length;
  const out = new Float32Array(outer * length * inner);
  const r = kernel.radius;
  const w = kernel.weights;
  const k0 = w[r];
  const odd = kernel.symmetry === 'odd';
  // Index along the axis of input position x − i, mirrored: table over [start − r, start + length + r).
  const index = new Int32Array(length + 2 * r);
  for (let j = 0; j < index.length; j++) index[j] = reflectIndex(start - r + j, n);

  if (inner === 1) {
    const line = new Float64Array(length + 2 * r);
    for (let o = 0; o < outer; o++) {
      const base = o * n;
      for (let j = 0; j < line.length; j++) line[j] = data[base + index[j]];
      const dst = o * length;
      for (let x = 0; x < length; x++) {
        const c = x + r;
        let acc = k0 * line[c];
        if (odd) for (let i = 1; i <= r; i++) acc += w[r + i] * (line[c - i] - line[c + i]);
        else for (let i = 1; i <= r; i++) acc += w[r + i] * (line[c - i] + line[c + i]);
        out[dst + x] = acc;
      }
    }
  } else {
    const acc = new Float64Array(inner);
    for (let o = 0; o < outer; o++) {
      const base = o * n * inner;
      for (let x = 0; x < length; x++) {
        const c = x + r;
        const mid = base + index[c] * inner;
        for (let j = 0; j < inner; j++) acc[j] = k0 * data[mid + j];
        for (let i = 1; i <= r; i++) {
          const ki = w[r + i];
          const a = base + index[c - i] * inner;
          const b = base + index[c + i] * inner;
          if (odd) for (let j = 0; j < inner; j++) acc[j] += ki * (data[a + j] - data[b + j]);
          else for (let j = 0; j < inner; j++) acc[j] += ki * (data[a + j] + data[b + j]);
        }
        const dst = (o * length + x) * inner;
        for (let j = 0; j < inner; j++) out[dst + j] = acc[j];
      }
    }
  }
  const origin = [...src.origin];
  origin[axis] = lo;
  return { data: out, shape: outShape, origin };
}

/** The part [lo, hi) of a field (block coordinates per axis), copied. */
export function crop(src: Field, lo: number[], hi: number[]): Field {
  const n = src.shape.length;
  const shape = lo.map((l, d) => hi[d] - l);
  const start = lo.map((l, d) => l - src.origin[d]);
  if (start.some((s, d) => s < 0 || s + shape[d] > src.shape[d])) throw new RangeError('crop lies outside the field');
  if (start.every((s) => s === 0) && shape.every((s, d) => s === src.shape[d])) return src;
  const out = new Float32Array(fieldSize(shape));
  const strides = src.shape.map((_, d) => src.shape.slice(d + 1).reduce((a, b) => a * b, 1));
  const row = shape[n - 1];
  const pos = new Array<number>(n - 1).fill(0);
  let o = 0;
  for (;;) {
    let offset = start[n - 1];
    for (let d = 0; d < n - 1; d++) offset += (start[d] + pos[d]) * strides[d];
    out.set(src.data.subarray(offset, offset + row), o);
    o += row;
    let d = n - 2;
    for (; d >= 0; d--) {
      if (++pos[d] < shape[d]) break;
      pos[d] = 0;
    }
    if (d < 0) break;
  }
  return { data: out, shape, origin: [...lo] };
}
