/**
 * The WebAssembly kernels give exactly what the plain loops give, bit for
 * bit (float32 NaN payloads, −0 and subnormals included), for any length
 * (the parts that do not fit 16-item steps are refused or done in
 * JavaScript) and any alignment of the caller's views.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { byteShuffle, mean2x2Float32, minMaxFloat32, minMaxUint16, sigmoidFloat32, simdAvailable } from './index.js';

/** Blosc's shuffle of whole items, the plain loop: byte k of item i → k·n + i. */
function shuffled(src: Uint8Array, typesize: number): Uint8Array {
  const n = src.length / typesize;
  const out = new Uint8Array(src.length);
  for (let i = 0; i < n; i++) for (let k = 0; k < typesize; k++) out[k * n + i] = src[typesize * i + k];
  return out;
}

const shuffle2 = (src: Uint8Array, dst: Uint8Array) => byteShuffle(src, dst, 2, false);
const unshuffle2 = (src: Uint8Array, dst: Uint8Array) => byteShuffle(src, dst, 2, true);

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
        expect(dst).toEqual(shuffled(src, 2));
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
      expect(Buffer.from(dst).equals(Buffer.from(shuffled(src, 2)))).toBe(true);
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

  it('shuffle4 and unshuffle4 match the byte transpose for any item count and alignment, and refuse partial items', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 600 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), fc.integer(), (items, srcAt, dstAt, seed) => {
        const src = bytes(4 * items + srcAt, seed).subarray(srcAt);
        const dst = new Uint8Array(src.length + dstAt).subarray(dstAt);
        expect(byteShuffle(src, dst, 4, false)).toBe(true);
        expect(dst).toEqual(shuffled(src, 4));
        const back = new Uint8Array(src.length + srcAt).subarray(srcAt);
        expect(byteShuffle(dst, back, 4, true)).toBe(true);
        expect(back).toEqual(src);
      }),
    );
    expect(byteShuffle(new Uint8Array(66), new Uint8Array(66), 4, false)).toBe(false);
    expect(byteShuffle(new Uint8Array(64), new Uint8Array(64), 8, false)).toBe(false);
  });

  it('shuffle4 handles a whole 1 MiB Blosc block, a 784 KiB chunk and an odd item count', () => {
    for (const length of [1 << 20, 448 * 448 * 4, 4 * 100_003]) {
      const src = bytes(length, length);
      const dst = new Uint8Array(length);
      expect(byteShuffle(src, dst, 4, false)).toBe(true);
      expect(Buffer.from(dst).equals(Buffer.from(shuffled(src, 4)))).toBe(true);
      const back = new Uint8Array(length);
      expect(byteShuffle(dst, back, 4, true)).toBe(true);
      expect(Buffer.from(back).equals(Buffer.from(src))).toBe(true);
    }
  });

  /** float32 values with every corner: NaNs with random payloads and signs, ±0, ±∞, subnormals, ties of rounding. */
  const float32s = fc.oneof(
    fc.integer({ min: 0, max: 0xffffffff }).map((bits) => new Float32Array(new Uint32Array([bits]).buffer)[0]),
    fc.constantFrom(0, -0, Infinity, -Infinity, NaN, 1.4e-45, -1.4e-45, 3.4028234663852886e38, 1, 1.0000001),
    fc.integer({ min: 0, max: 0x7fffff }).map((m) => new Float32Array(new Uint32Array([0x7f800000 | m | 1]).buffer)[0]),
  );

  /** The display range's JavaScript loop, as write-image runs it. */
  function loopMinMax(data: Float32Array, from: number, to: number): [number, number] {
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = from; i < to; i++) {
      const v = data[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    return [lo, hi];
  }

  it('minMaxFloat32 equals the loop exactly: NaN ignored, the first of −0 and +0, all-NaN ranges', () => {
    const same = (a: [number, number] | undefined, b: [number, number]) => expect(a && [Object.is(a[0], b[0]), Object.is(a[1], b[1])]).toEqual([true, true]);
    fc.assert(
      fc.property(fc.array(float32s, { minLength: 1, maxLength: 300 }), fc.nat(), fc.nat(), (values, a, b) => {
        const data = Float32Array.from(values);
        const from = a % data.length;
        const to = from + 1 + (b % (data.length - from));
        same(minMaxFloat32(data, from, to), loopMinMax(data, from, to));
      }),
      { numRuns: 500 },
    );
    // Zeros of both signs in different lanes and pieces: the range's first zero wins, as in the loop.
    for (const [first, then] of [[-0, 0], [0, -0]]) {
      const data = new Float32Array(70_000).fill(NaN);
      data[40_001] = first;
      data[5] = NaN;
      data[60_000] = then;
      data[40_002] = then;
      same(minMaxFloat32(data, 0, data.length), loopMinMax(data, 0, data.length));
      same(minMaxFloat32(data, 40_002, data.length), loopMinMax(data, 40_002, data.length));
      data.fill(1, 0, 100).fill(-1, 100, 200);
      same(minMaxFloat32(data, 0, data.length), loopMinMax(data, 0, data.length));
    }
    same(minMaxFloat32(new Float32Array(100).fill(NaN), 0, 100), [Infinity, -Infinity]);
    expect(minMaxFloat32(new Float32Array(4), 2, 2)).toBeUndefined();
  });

  it('mean2x2Float32 gives the JavaScript mean bit for bit (float64 sums left to right, fround), NaN payloads too', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 40 }), fc.array(float32s, { minLength: 1, maxLength: 64 }), (planes, h, w, pool) => {
        const src = Float32Array.from({ length: planes * h * w }, (_, i) => pool[(i * 7919) % pool.length]);
        const oh = Math.ceil(h / 2);
        const ow = Math.ceil(w / 2);
        const dst = new Float32Array(planes * oh * ow).fill(7);
        const done = mean2x2Float32(src, dst, planes, h, w);
        expect(done).toBe(h >= 2 ? (w >> 1) - ((w >> 1) % 4) : 0);
        const want = new Float32Array(dst.length).fill(7);
        for (let p = 0; p < planes; p++) {
          for (let oy = 0; oy < h >> 1; oy++) {
            const r0 = p * h * w + 2 * oy * w;
            const r1 = r0 + w;
            for (let ox = 0; ox < done; ox++) want[p * oh * ow + oy * ow + ox] = (src[r0 + 2 * ox] + src[r0 + 2 * ox + 1] + src[r1 + 2 * ox] + src[r1 + 2 * ox + 1]) / 4;
          }
        }
        expect(new Uint32Array(dst.buffer)).toEqual(new Uint32Array(want.buffer));
      }),
      { numRuns: 500 },
    );
  });
  it('sigmoidFloat32 stores what 1 / (1 + Math.exp(-x)) stores, bit for bit, over float32 values of every magnitude', () => {
    // Every 4093rd float32 bit pattern (about a million values of both signs, subnormals, ±∞ and NaNs among them),
    // the edges of the kernel's clamp and of float32's range, in a length that is not a multiple of 4.
    const patterns = Uint32Array.from({ length: Math.floor(2 ** 32 / 4093) }, (_, i) => i * 4093);
    const src = new Float32Array(patterns.buffer);
    src.set([0, -0, Infinity, -Infinity, NaN, 1e-45, -1e-45, 16.6, 17.4, -88.7, 88.7, -103.3, -103.98, -104, -110, 110, -109.99, 745.2, -745.2]);
    const input = src.subarray(0, src.length - 3);
    const expected = input.map((x) => 1 / (1 + Math.exp(-x)));
    const got = new Float32Array(input.length);
    expect(sigmoidFloat32(input, got)).toBe(true);
    const bits = (a: Float32Array) => new Uint32Array(a.buffer, a.byteOffset, a.length);
    const [e, g] = [bits(expected), bits(got)];
    const differing = [...e.keys()].filter((i) => e[i] !== g[i] && !(Number.isNaN(expected[i]) && Number.isNaN(got[i])));
    expect(differing.map((i) => input[i])).toEqual([]);
    // In place, as post-processing runs it on a tile's own buffer.
    const inPlace = input.slice();
    expect(sigmoidFloat32(inPlace, inPlace)).toBe(true);
    expect(bits(inPlace)).toEqual(g);
  });
});
