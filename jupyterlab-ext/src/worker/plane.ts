/** Cutting one y × x plane out of a decoded chunk (pure; used by the chunk worker). */
import type { PlaneData } from './protocol.js';

export interface ChunkLike {
  data: ArrayLike<number | bigint> & { length: number };
  shape: number[];
  stride: number[];
}

/**
 * The plane at `within` (indices inside the chunk on the other axes), clipped
 * to `height` × `width` (edge chunks of an array are only partly inside it).
 */
export function extractPlane(chunk: ChunkLike, within: number[], yAxis: number, xAxis: number, height: number, width: number): PlaneData {
  let base = 0;
  for (let d = 0; d < chunk.shape.length; d++) if (d !== yAxis && d !== xAxis) base += within[d] * chunk.stride[d];
  const sy = chunk.stride[yAxis];
  const sx = chunk.stride[xAxis];
  // zarrita's BoolArray is not indexable: read its bytes (0/1) instead.
  const raw = chunk.data as unknown as { buffer: ArrayBuffer; byteOffset: number; byteLength: number };
  const src = ArrayBuffer.isView(chunk.data) ? chunk.data : new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  const wide = typeof src[0] === 'bigint';
  const Ctor = wide ? Float64Array : ((src as unknown as { constructor: new (n: number) => PlaneData }).constructor);
  const out = new Ctor(height * width);
  for (let y = 0; y < height; y++) {
    const row = base + y * sy;
    const o = y * width;
    if (wide) {
      for (let x = 0; x < width; x++) out[o + x] = Number(src[row + x * sx]);
    } else if (sx === 1 && 'subarray' in src) {
      out.set((src as unknown as PlaneData).subarray(row, row + width), o);
    } else {
      for (let x = 0; x < width; x++) out[o + x] = src[row + x * sx] as number;
    }
  }
  return out;
}
