/**
 * The WebAssembly kernels give exactly what the plain loops give, for any
 * length (the parts that do not fit 16-item steps are refused or done in
 * JavaScript) and any alignment of the caller's views.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { minMaxUint16, shuffle2, simdAvailable, unshuffle2 } from './index.js';

function shuffled(src: Uint8Array): Uint8Array {
  const n = src.length >> 1;
  const out = new Uint8Array(src.length);
  for (let i = 0; i < n; i++) {
    out[i] = src[2 * i];
    out[n + i] = src[2 * i + 1];
  }
  return out;
}

const bytes = (length: number, seed: number) => Uint8Array.from({ length }, (_, i) => (Math.imul(i + 1, 2654435761 + seed) >>> 13) & 0xff);

describe('pixel kernels', () => {
  it('run here (Node 20 has WebAssembly SIMD)', () => {
    expect(simdAvailable()).toBe(true);
  });

  it('shuffle2 and unshuffle2 match the byte transpose, or refuse lengths they cannot do', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 3 }), fc.integer(), (items, offset, seed) => {
        const src = bytes(2 * items + offset, seed).subarray(offset);
        const dst = new Uint8Array(src.length + 1).subarray(1);
        const done = shuffle2(src, dst);
        expect(done).toBe(items % 16 === 0);
        if (!done) return;
        expect(dst).toEqual(shuffled(src));
        const back = new Uint8Array(src.length);
        expect(unshuffle2(dst, back)).toBe(true);
        expect(back).toEqual(src);
      }),
    );
  });

  it('shuffle2 handles a whole 512 KiB Blosc block and a larger scratch after a smaller one', () => {
    for (const length of [64, 1 << 19, 1 << 20]) {
      const src = bytes(length, length);
      const dst = new Uint8Array(length);
      expect(shuffle2(src, dst)).toBe(true);
      expect(Buffer.from(dst).equals(Buffer.from(shuffled(src)))).toBe(true);
    }
  });

  it('minMaxUint16 equals a plain loop over any range, pieces and tails included', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 1, maxLength: 300 }), fc.nat(), fc.nat(), (values, a, b) => {
        const data = Uint16Array.from(values);
        const from = a % data.length;
        const to = from + 1 + (b % (data.length - from));
        const part = Array.from(data.subarray(from, to));
        expect(minMaxUint16(data, from, to)).toEqual([Math.min(...part), Math.max(...part)]);
      }),
    );
    const big = new Uint16Array(100_003).map((_, i) => 1000 + ((i * 7919) % 5000));
    big[77_777] = 3;
    big[100_001] = 65535;
    expect(minMaxUint16(big, 0, big.length)).toEqual([3, 65535]);
    expect(minMaxUint16(big, 0, 77_777)).toEqual([1000, 5999]);
    expect(minMaxUint16(new Uint16Array(4), 2, 2)).toBeUndefined();
  });
});
