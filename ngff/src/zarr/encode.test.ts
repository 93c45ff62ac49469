import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { crc32c } from './crc32c.js';
import { encodeChunk, encodeShard } from './encode.js';
import { checkSpec } from './metadata.js';
import { nativeZstd } from './native-zstd.js';
import { copyBox } from './region.js';
import type { ArraySpec } from './types.js';
import { createArray, createEncodePool } from './writer.js';

const invalid = expect.objectContaining({ code: 'INVALID_ARGUMENT' });

describe('crc32c', () => {
  it('matches the published check values', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa); // RFC 3720 B.4: 32 bytes of zeros
  });
});

describe('copyBox', () => {
  it('copies any box between C-order buffers like an element-wise loop', () => {
    const box = fc.integer({ min: 1, max: 4 }).chain((n) =>
      fc
        .tuple(
          fc.array(fc.integer({ min: 1, max: 6 }), { minLength: n, maxLength: n }),
          fc.array(fc.integer({ min: 1, max: 6 }), { minLength: n, maxLength: n }),
          fc.array(fc.nat(), { minLength: n, maxLength: n }),
          fc.array(fc.nat(), { minLength: n, maxLength: n }),
          fc.array(fc.nat(), { minLength: n, maxLength: n }),
          fc.constantFrom(1, 2, 4),
        )
        .map(([srcShape, dstShape, a, b, c, itemsize]) => {
          const size = srcShape.map((s, i) => 1 + (a[i] % Math.min(s, dstShape[i])));
          const srcStart = srcShape.map((s, i) => b[i] % (s - size[i] + 1));
          const dstStart = dstShape.map((s, i) => c[i] % (s - size[i] + 1));
          return { srcShape, dstShape, size, srcStart, dstStart, itemsize };
        }),
    );
    fc.assert(
      fc.property(box, ({ srcShape, dstShape, size, srcStart, dstStart, itemsize }) => {
        const count = (s: number[]) => s.reduce((x, y) => x * y, 1) * itemsize;
        const src = Uint8Array.from({ length: count(srcShape) }, (_, i) => (i * 31 + 7) & 255);
        const got = new Uint8Array(count(dstShape));
        const want = new Uint8Array(count(dstShape));
        copyBox(src, srcShape, srcStart, got, dstShape, dstStart, size, itemsize);
        const offset = (shape: number[], p: number[]) => p.reduce((acc, v, i) => acc * shape[i] + v, 0) * itemsize;
        const visit = (p: number[]): void => {
          if (p.length === size.length) {
            const s = offset(srcShape, p.map((v, i) => v + srcStart[i]));
            const d = offset(dstShape, p.map((v, i) => v + dstStart[i]));
            for (let k = 0; k < itemsize; k++) want[d + k] = src[s + k];
            return;
          }
          for (let v = 0; v < size[p.length]; v++) visit([...p, v]);
        };
        visit([]);
        expect(got).toEqual(want);
      }),
    );
  });
});

describe('encodeChunk', () => {
  const spec: ArraySpec = { format: 3, shape: [3, 5], chunks: [2, 3], dtype: 'uint16', compressor: { id: 'none' }, fillValue: 9 };

  it('pads an edge block to the chunk shape with the fill value', async () => {
    const bytes = await encodeChunk(spec, new Uint16Array([1, 2]), [1, 2]);
    expect([...new Uint16Array(bytes!.buffer, bytes!.byteOffset, 6)]).toEqual([1, 2, 9, 9, 9, 9]);
  });

  it('leaves out a chunk of fill value unless asked to keep it', async () => {
    expect(await encodeChunk(spec, new Uint16Array(6).fill(9), [2, 3])).toBeUndefined();
    expect(await encodeChunk(spec, new Uint16Array(6).fill(9), [2, 3], { skipEmpty: false })).toHaveLength(12);
    const nan: ArraySpec = { ...spec, dtype: 'float32', fillValue: NaN };
    expect(await encodeChunk(nan, new Float32Array(6).fill(NaN), [2, 3])).toBeUndefined();
  });

  it('refuses pixels that do not match the spec', async () => {
    await expect(encodeChunk(spec, new Uint8Array(6), [2, 3])).rejects.toThrow(invalid);
    await expect(encodeChunk(spec, new Uint16Array(5), [2, 3])).rejects.toThrow(invalid);
    await expect(encodeChunk(spec, new Uint16Array(8), [2, 4])).rejects.toThrow(invalid);
  });

  it('builds a shard index with crc32c and empty entries', async () => {
    const sharded: ArraySpec = { ...spec, shards: [2, 6], fillValue: 0 };
    const shard = (await encodeShard(sharded, new Uint16Array([1, 2, 3, 0, 0, 0]), [2, 3]))!;
    // One inner chunk stored (12 bytes), the second lies outside the block: 12 + 2 × 16 + 4.
    expect(shard.length).toBe(12 + 32 + 4);
    const view = new DataView(shard.buffer, shard.byteOffset);
    expect([view.getBigUint64(12, true), view.getBigUint64(20, true)]).toEqual([0n, 12n]);
    expect([view.getBigUint64(28, true), view.getBigUint64(36, true)]).toEqual([2n ** 64n - 1n, 2n ** 64n - 1n]);
    expect(view.getUint32(44, true)).toBe(crc32c(shard.subarray(12, 44)));
  });
});

describe('array specs', () => {
  const base: ArraySpec = { format: 3, shape: [10, 10], chunks: [5, 5], dtype: 'uint8', compressor: { id: 'blosc' } };
  it.each<[string, Partial<ArraySpec>]>([
    ['shards on v2', { format: 2, shards: [10, 10] }],
    ['shards not a multiple of chunks', { shards: [10, 7] }],
    ['chunks of another rank', { chunks: [5] }],
    ['a fill value outside the type', { fillValue: 300 }],
    ['a fractional fill value for integers', { fillValue: 0.5 }],
    ['blosc clevel 10', { compressor: { id: 'blosc', clevel: 10 } }],
    ['zstd level 30', { compressor: { id: 'zstd', level: 30 } }],
    ['an unknown compressor', { compressor: { id: 'lzma' } as never }],
    ['too few dimension names', { dimensionNames: ['y'] }],
  ])('refuses %s', (_, change) => {
    expect(() => checkSpec({ ...base, ...change })).toThrow(invalid);
  });
});

describe('ArrayWriter', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-writer-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const spec: ArraySpec = { format: 2, shape: [4, 6], chunks: [2, 4], dtype: 'float32', compressor: { id: 'zstd' } };

  it('refuses blocks outside the grid or of the wrong shape', async () => {
    const writer = await createArray(path.join(root, 'a.zarr'), spec);
    expect(writer.blockShape).toEqual([2, 4]);
    await expect(writer.writeBlock([2, 0], new Float32Array(8), [2, 4])).rejects.toThrow(invalid);
    await expect(writer.writeBlock([0, 1], new Float32Array(6), [2, 3])).rejects.toThrow(invalid);
    await writer.writeBlock([0, 1], new Float32Array(4).fill(1), [2, 2]); // clipped edge block
    await writer.writeBlock([1, 1], new Float32Array(8).fill(1), [2, 4]); // or padded by the caller
    expect(fs.readdirSync(path.join(root, 'a.zarr', '0'))).toEqual(['1']);
  });

  it('moves whole buffers to the pool and copies views', async () => {
    const pool = createEncodePool({ size: 1 });
    try {
      const writer = await createArray(path.join(root, 'b.zarr'), spec, { pool, nativeOnPool: true });
      const whole = new Float32Array(8).fill(2);
      await writer.writeBlock([0, 0], whole, [2, 4]);
      expect(whole.buffer.byteLength).toBe(0);
      const backing = new Float32Array(16).fill(3);
      await writer.writeBlock([1, 0], backing.subarray(8), [2, 4]);
      expect(backing[15]).toBe(3);
      const kept = new Float32Array(8).fill(4);
      const copying = await createArray(path.join(root, 'c.zarr'), { ...spec, compressor: { id: 'gzip' } }, { pool, transfer: false });
      await copying.writeBlock([0, 0], kept, [2, 4]);
      expect(kept[0]).toBe(4);
      await expect(writer.writeBlock([0, 0], new Float64Array(8), [2, 4])).rejects.toThrow(invalid);
    } finally {
      await pool.close();
    }
  });

  it('encodes chunks for native zstd on this thread, the others on the pool', async () => {
    const pool = createEncodePool({ size: 1 });
    try {
      const native = await nativeZstd();
      const zstd = await createArray(path.join(root, 'd.zarr'), spec, { pool });
      const kept = new Float32Array(8).fill(5);
      await zstd.writeBlock([0, 0], kept, [2, 4]);
      // Without native zstd the block goes to the pool and its buffer moves there.
      expect(kept.buffer.byteLength).toBe(native ? 32 : 0);
      const gzip = await createArray(path.join(root, 'e.zarr'), { ...spec, compressor: { id: 'gzip' } }, { pool });
      const moved = new Float32Array(8).fill(6);
      await gzip.writeBlock([0, 0], moved, [2, 4]);
      expect(moved.buffer.byteLength).toBe(0);
    } finally {
      await pool.close();
    }
  });
});
