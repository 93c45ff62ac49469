import { describe, expect, it } from 'vitest';
import { downsampleBlock } from './downsample.js';

/** The plain definition: the mean of the pixels of each 2×2 window that exist, summed in raster order. */
function reference(data: ArrayLike<number>, planes: number, h: number, w: number, round: boolean): number[] {
  const out: number[] = [];
  for (let p = 0; p < planes; p++)
    for (let y = 0; y < h; y += 2)
      for (let x = 0; x < w; x += 2) {
        const window = [[y, x], [y, x + 1], [y + 1, x], [y + 1, x + 1]].filter(([yy, xx]) => yy < h && xx < w).map(([yy, xx]) => data[p * h * w + yy * w + xx]);
        const mean = window.reduce((a, b) => a + b, 0) / window.length;
        out.push(round ? Math.round(mean) : mean);
      }
  return out;
}

describe('downsampleBlock (mean), uint16 over several SIMD stripes', () => {
  it('70 × 4100, 2 planes, as defined', () => {
    const [h, w] = [70, 4100];
    const data = Uint16Array.from({ length: 2 * h * w }, (_, i) => (Math.imul(i, 2654435761) >>> 16) | (i % 97 === 0 ? 0xffff : 0));
    const expected = Uint16Array.from(reference(data, 2, h, w, true));
    expect(Buffer.from(downsampleBlock(data, [2, h, w], 'mean').buffer).equals(Buffer.from(expected.buffer))).toBe(true);
  });
});

describe('downsampleBlock (mean)', () => {
  let s = 11;
  const random = () => ((s = (s * 1103515245 + 12345) >>> 0) >>> 8) / 2 ** 24;
  // The wider ones run the uint16 SIMD kernel (16+ columns), with tails and odd edges.
  for (const [h, w] of [[6, 8], [7, 9], [1, 5], [5, 1], [1, 1], [2, 3], [4, 16], [5, 37], [3, 1030]]) {
    it(`${h}×${w}, 2 planes: uint8, uint16, int16, float32, float64 as defined`, () => {
      const n = 2 * h * w;
      const cases = [
        Uint8Array.from({ length: n }, () => Math.floor(random() * 256)),
        Uint16Array.from({ length: n }, () => Math.floor(random() * 65536)),
        Int16Array.from({ length: n }, () => Math.floor(random() * 65536) - 32768),
        Float32Array.from({ length: n }, () => random() * 1000 - 500),
        Float64Array.from({ length: n }, () => random() * 1e6 - 5e5),
      ];
      for (const data of cases) {
        const round = !(data instanceof Float32Array || data instanceof Float64Array);
        const expected = new (data.constructor as new (a: number[]) => typeof data)(reference(data, 2, h, w, round));
        expect(downsampleBlock(data, [2, h, w], 'mean')).toEqual(expected);
      }
    });
  }
});
