/**
 * fairio's own Blosc1 frames (zstd codec) must decode to the original bytes in
 * c-blosc: natively in zarr-python's numcodecs (the independent reference)
 * and in the WebAssembly build zarrita reads with (numcodecs.js).
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import fc from 'fast-check';
import FileSystemStore from '@zarrita/storage/fs';
import Blosc from 'numcodecs/blosc';
import * as zarr from 'zarrita';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPython, missing, pythonJson } from '../../../tests/helpers/reference.js';
import { planBlocks } from '../blocks/plan.js';
import { bloscZstdFrame, shuffleBlock, unshuffleBlock, zstdLevelOf, type BloscZstdOptions } from './blosc.js';
import { nativeZstd, type NativeZstd } from './native-zstd.js';
import { DATA_TYPES, type ArraySpec, type DataType } from './types.js';
import { createArray, createEncodePool } from './writer.js';

/** Byte k of item i to k·n + i, written as plainly as possible. */
function referenceShuffle(src: Uint8Array, typesize: number): Uint8Array {
  const n = Math.floor(src.length / typesize);
  const out = src.slice();
  for (let i = 0; i < n; i++) for (let k = 0; k < typesize; k++) out[k * n + i] = src[i * typesize + k];
  return out;
}

const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

function header(frame: Uint8Array) {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  return {
    version: frame[0],
    versionlz: frame[1],
    flags: frame[2],
    typesize: frame[3],
    nbytes: view.getUint32(4, true),
    blocksize: view.getUint32(8, true),
    cbytes: view.getUint32(12, true),
  };
}

/** Deterministic pseudo-random bytes (xorshift32). */
function noise(length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = s >>> 24;
  }
  return out;
}

/** Smooth values of the given type with a little noise: compressible, and shuffle matters. */
function smooth(typesize: number, count: number): Uint8Array {
  const r = noise(count, 7);
  const values = Array.from({ length: count }, (_, i) => 1000 + 300 * Math.sin(i / 50) + (r[i] & 7));
  switch (typesize) {
    case 1:
      return Uint8Array.from(values, (v) => v / 8);
    case 2:
      return new Uint8Array(Uint16Array.from(values).buffer);
    case 4:
      return new Uint8Array(Float32Array.from(values, (v) => v / 7).buffer);
    case 8:
      return new Uint8Array(Float64Array.from(values, (v) => v / 7).buffer);
    default: {
      const out = new Uint8Array(count * typesize);
      values.forEach((v, i) => out.set(noise(typesize, (v | 0) + 1), i * typesize));
      return out;
    }
  }
}

describe('shuffleBlock', () => {
  it('matches a plain byte transpose for any typesize, length and alignment', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), (typesize, length, srcAt, dstAt) => {
        const src = noise(srcAt + length, length + 1).subarray(srcAt);
        const dst = new Uint8Array(dstAt + length).subarray(dstAt);
        shuffleBlock(src, dst, typesize);
        expect(dst).toEqual(referenceShuffle(src, typesize));
      }),
    );
  });

  it('is undone by unshuffleBlock for any typesize, length and alignment', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 7 }), fc.integer({ min: 0, max: 7 }), (typesize, length, srcAt, dstAt) => {
        const src = noise(srcAt + length, length + 3).subarray(srcAt);
        const shuffled = new Uint8Array(srcAt + length).subarray(srcAt);
        shuffled.set(referenceShuffle(src, typesize));
        const back = new Uint8Array(dstAt + length).subarray(dstAt);
        unshuffleBlock(shuffled, back, typesize);
        expect(back).toEqual(src);
      }),
    );
  });
});

describe('zstd level of a blosc clevel', () => {
  it('follows c-blosc: 2·clevel − 1 below 9, the maximum at 9', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9].map(zstdLevelOf)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 22]);
  });
});

const native = await nativeZstd();

describe.skipIf(!native)('Blosc1 zstd frames', () => {
  const zstd = native as NativeZstd;
  const wasm = Blosc.fromConfig({ id: 'blosc', cname: 'zstd', clevel: 5, shuffle: 1, blocksize: 0 });
  const decodeWasm = async (frame: Uint8Array) => new Uint8Array(await wasm.decode(frame));

  interface Sample {
    name: string;
    bytes: Uint8Array;
    options: BloscZstdOptions;
  }
  const samples: Sample[] = [];
  for (const typesize of [1, 2, 4, 8, 3]) {
    for (const blocksize of [undefined, 4096, 1000]) {
      samples.push({ name: `smooth-t${typesize}-b${blocksize ?? 'default'}`, bytes: smooth(typesize, 5001), options: { clevel: 5, shuffle: true, typesize, blocksize } });
    }
  }
  samples.push({ name: 'noshuffle-t2', bytes: smooth(2, 5000), options: { clevel: 3, shuffle: false, typesize: 2 } });
  samples.push({ name: 'clevel9-t4', bytes: smooth(4, 5000), options: { clevel: 9, shuffle: true, typesize: 4, blocksize: 8192 } });
  samples.push({ name: 'clevel0-t2', bytes: smooth(2, 5000), options: { clevel: 0, shuffle: true, typesize: 2 } });
  samples.push({ name: 'random-t2', bytes: noise(1 << 16), options: { clevel: 5, shuffle: true, typesize: 2 } });
  samples.push({ name: 'zeros-t8', bytes: new Uint8Array(1 << 16), options: { clevel: 5, shuffle: true, typesize: 8 } });
  samples.push({ name: 'tiny-t4', bytes: smooth(4, 20), options: { clevel: 5, shuffle: true, typesize: 4 } });
  // Half zeros, half noise in 4 KiB blocks: the noise blocks are stored as they are inside a compressed frame.
  const mixed = new Uint8Array(1 << 15);
  mixed.set(noise(1 << 14, 3), 1 << 14);
  samples.push({ name: 'mixed-blocks-t2', bytes: mixed, options: { clevel: 5, shuffle: true, typesize: 2, blocksize: 4096 } });
  samples.push({ name: 'one-item-t8', bytes: smooth(8, 1), options: { clevel: 5, shuffle: true, typesize: 8 } });

  const frames = new Map<string, Uint8Array>();
  let dir: string;
  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-blosc-'));
    for (const s of samples) {
      const frame = await bloscZstdFrame(s.bytes, s.options, zstd);
      frames.set(s.name, frame);
      fs.writeFileSync(path.join(dir, s.name), frame);
    }
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('writes the c-blosc header', () => {
    const h = header(frames.get('smooth-t2-b4096')!);
    expect(h).toEqual({ version: 2, versionlz: 1, flags: 0x80 | 0x10 | 0x1, typesize: 2, nbytes: 10002, blocksize: 4096, cbytes: frames.get('smooth-t2-b4096')!.length });
    expect(h.cbytes).toBeLessThan(h.nbytes);
    // The block-start table: 3 blocks, the first right after the table.
    const view = new DataView(frames.get('smooth-t2-b4096')!.buffer);
    expect(view.getInt32(16, true)).toBe(16 + 3 * 4);
    expect(header(frames.get('smooth-t1-bdefault')!).flags).toBe(0x80 | 0x10); // no shuffle for single bytes
    expect(header(frames.get('noshuffle-t2')!).flags).toBe(0x80 | 0x10);
    expect(header(frames.get('smooth-t3-b1000')!).blocksize).toBe(999); // a multiple of the typesize
  });

  it('stores data that does not shrink, at clevel 0 and under 128 bytes (memcpyed)', () => {
    for (const name of ['random-t2', 'clevel0-t2', 'tiny-t4', 'one-item-t8']) {
      const frame = frames.get(name)!;
      const sample = samples.find((s) => s.name === name)!;
      const h = header(frame);
      expect(h.flags & 0x2, name).toBe(0x2);
      expect(h.cbytes, name).toBe(sample.bytes.length + 16);
      expect(frame.subarray(16), name).toEqual(sample.bytes);
    }
    expect(header(frames.get('zeros-t8')!).cbytes).toBeLessThan(100);
    // The mixed frame is compressed, its noise blocks stored as they are (length == block size).
    const mixedFrame = frames.get('mixed-blocks-t2')!;
    expect(header(mixedFrame).flags & 0x2).toBe(0);
    const view = new DataView(mixedFrame.buffer, mixedFrame.byteOffset);
    const lengths = Array.from({ length: 8 }, (_, b) => view.getInt32(view.getInt32(16 + 4 * b, true), true));
    expect(lengths.slice(4)).toEqual([4096, 4096, 4096, 4096]);
    expect(lengths.slice(0, 4).every((n) => n < 100)).toBe(true);
  });

  it('compresses like zarr-python: clevel 5 at zstd level 9', async () => {
    const bytes = smooth(2, 1 << 18);
    const ours = await bloscZstdFrame(bytes, { clevel: 5, shuffle: true, typesize: 2 }, zstd);
    const zstd9 = await zstd.compress(referenceShuffle(bytes, 2), 9);
    // One block (512 KiB, under the default block size): the frame is one zstd level-9 frame of the shuffled bytes plus 24 bytes.
    expect(ours.length).toBe(zstd9.length + 16 + 4 + 4);
  });

  it('decodes in numcodecs.js (zarrita)', async () => {
    for (const s of samples) expect(sha256(await decodeWasm(frames.get(s.name)!)), s.name).toBe(sha256(s.bytes));
  });

  it.skipIf(missing('numcodecs in .venv', hasPython))('decodes in numcodecs (zarr-python, native c-blosc)', async () => {
    const got = await pythonJson<Record<string, { sha256: string; typesize: number }>>(
      `
import sys, os, json, hashlib, numcodecs
from numcodecs.blosc import _cbuffer_metainfo
d = sys.argv[1]
out = {}
for name in os.listdir(d):
    frame = open(os.path.join(d, name), 'rb').read()
    out[name] = {'sha256': hashlib.sha256(numcodecs.Blosc().decode(frame)).hexdigest(), 'typesize': _cbuffer_metainfo(frame)[0]}
print(json.dumps(out))
`,
      [dir],
    );
    for (const s of samples) {
      expect(got[s.name].sha256, s.name).toBe(sha256(s.bytes));
      expect(got[s.name].typesize, s.name).toBe(s.options.typesize);
    }
  });
});

/**
 * Whole arrays through the writer: plane 0 smooth, plane 1 random bytes (full
 * chunks stored as they are), plane 2 zeros (written: skipEmpty off), with
 * edge chunks on both axes; v3 ones sharded and encoded on the worker pool
 * (where native zstd is loaded in each worker).
 */
describe.skipIf(!native)('arrays of blosc-zstd chunks', () => {
  const shape = [3, 70, 90];
  const chunks = [1, 64, 64];
  const dtypes: DataType[] = ['uint8', 'uint16', 'float32', 'float64'];
  const arrays: { name: string; spec: ArraySpec; dir: string; bytes: Uint8Array }[] = [];
  let root: string;

  function content(dtype: DataType): Uint8Array {
    const itemsize = DATA_TYPES[dtype].itemsize;
    const plane = shape[1] * shape[2];
    const out = new Uint8Array(3 * plane * itemsize);
    out.set(smooth(itemsize, plane), 0);
    out.set(noise(plane * itemsize, 11 + itemsize), plane * itemsize);
    return out;
  }

  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-blosc-arrays-'));
    const pool = createEncodePool({ size: 2 });
    try {
      for (const format of [2, 3] as const) {
        for (const dtype of dtypes) {
          const name = `v${format}-${dtype}`;
          const spec: ArraySpec = { format, shape, chunks, dtype, compressor: { id: 'blosc', cname: 'zstd', clevel: 5, shuffle: 'shuffle' } };
          if (format === 3) spec.shards = [1, 128, 128];
          const dir = path.join(root, `${name}.zarr`);
          const bytes = content(dtype);
          const writer = await createArray(dir, spec, { skipEmpty: false, ...(format === 3 ? { pool, nativeOnPool: true } : {}) });
          const info = DATA_TYPES[dtype];
          const pixels = new info.array(bytes.buffer as ArrayBuffer, 0, bytes.length / info.itemsize);
          await Promise.all(
            planBlocks(shape, writer.blockShape).map((block) => {
              const size = block.stop.map((s, i) => s - block.start[i]);
              const part = new info.array(size.reduce((a, b) => a * b, 1));
              let o = 0;
              for (let y = block.start[1]; y < block.stop[1]; y++) {
                const from = (block.start[0] * shape[1] + y) * shape[2];
                part.set(pixels.subarray(from + block.start[2], from + block.stop[2]) as never, o);
                o += size[2];
              }
              return writer.writeBlock(block.coords, part, size);
            }),
          );
          arrays.push({ name, spec, dir, bytes });
        }
      }
    } finally {
      await pool.close();
    }
  });
  afterAll(() => {
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });

  it('stores the pixel size as typesize, random chunks as they are, zero chunks small', () => {
    for (const { name, spec, dir } of arrays.filter((a) => a.spec.format === 2)) {
      const itemsize = DATA_TYPES[spec.dtype].itemsize;
      const chunk = (key: string) => fs.readFileSync(path.join(dir, ...key.split('/')));
      for (const key of ['0/0/0', '0/1/1', '1/0/0', '1/1/1', '2/0/0', '2/1/1']) expect(chunk(key)[3], `${name} ${key}`).toBe(itemsize);
      expect(chunk('0/0/0')[2] & 0x2, name).toBe(0);
      const random = chunk('1/0/0');
      expect(random[2] & 0x2, name).toBe(0x2); // memcpyed
      expect(random.length, name).toBe(64 * 64 * itemsize + 16);
      expect(chunk('2/0/0').length, name).toBeLessThan(100);
    }
    // Shards encoded on the pool: their first inner chunk starts the file.
    for (const { name, spec, dir } of arrays.filter((a) => a.spec.format === 3)) {
      expect(fs.readFileSync(path.join(dir, 'c', '0', '0', '0'))[3], name).toBe(DATA_TYPES[spec.dtype].itemsize);
    }
  });

  it('read back in zarrita', async () => {
    for (const { name, dir, bytes } of arrays) {
      const got = await zarr.get(await zarr.open(new FileSystemStore(dir), { kind: 'array' }));
      const data = got.data as Uint8Array;
      expect(sha256(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)), name).toBe(sha256(bytes));
    }
  });

  it.skipIf(missing('zarr-python in .venv', hasPython))('read back in zarr-python', async () => {
    const got = await pythonJson<Record<string, string>>(
      `
import sys, json, hashlib, numpy as np, zarr
paths = json.loads(sys.argv[1])
print(json.dumps({n: hashlib.sha256(np.ascontiguousarray(zarr.open_array(p, mode='r')[...]).tobytes()).hexdigest() for n, p in paths.items()}))
`,
      [JSON.stringify(Object.fromEntries(arrays.map((a) => [a.name, a.dir])))],
    );
    for (const { name, bytes } of arrays) expect(got[name], name).toBe(sha256(bytes));
  });
});
