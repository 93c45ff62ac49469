/**
 * Arrays written by fairio must read back in zarr-python (the independent
 * reference) and in zarrita, for every format × compressor × data type, with
 * edge chunks and (v3) shards, on the main thread and on the encode pool.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import FileSystemStore from '@zarrita/storage/fs';
import * as zarr from 'zarrita';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasPython, missing, pythonJson } from '../../../tests/helpers/reference.js';
import { planBlocks } from '../blocks/plan.js';
import { crc32c } from './crc32c.js';
import { createArray, createEncodePool, writeGroup, type EncodePool } from './writer.js';
import { DATA_TYPES, type ArraySpec, type Compressor, type DataType, type TypedArray } from './types.js';

const shape = [3, 37, 50];
const chunks = [2, 8, 16];
const shards = [2, 16, 32];

const compressors: Record<string, Compressor> = {
  'blosc-lz4': { id: 'blosc', cname: 'lz4', clevel: 5, shuffle: 'shuffle' },
  'blosc-zstd': { id: 'blosc', cname: 'zstd', clevel: 3, shuffle: 'bitshuffle' },
  // Byte shuffle: fairio's own blosc frames around native zstd where available.
  'blosc-zstd-shuffle': { id: 'blosc', cname: 'zstd', clevel: 5, shuffle: 'shuffle' },
  zstd: { id: 'zstd', level: 3 },
  gzip: { id: 'gzip', level: 6 },
  none: { id: 'none' },
};

interface Case {
  name: string;
  spec: ArraySpec;
  pool: boolean;
}

const cases: Case[] = [];
for (const format of [2, 3] as const) {
  for (const [cname, compressor] of Object.entries(compressors)) {
    for (const dtype of ['uint8', 'uint16', 'float32'] as DataType[]) {
      for (const sharded of format === 3 ? [false, true] : [false]) {
        const name = `v${format}-${cname}-${dtype}${sharded ? '-sharded' : ''}`;
        const spec: ArraySpec = { format, shape, chunks, dtype, compressor, ...(sharded ? { shards } : {}) };
        if (format === 3) spec.dimensionNames = ['z', 'y', 'x'];
        cases.push({ name, spec, pool: cases.length % 2 === 1 });
      }
    }
  }
}
// Fill values other than 0, and bool.
cases.push({ name: 'v2-fill7-uint16', spec: { format: 2, shape, chunks, dtype: 'uint16', compressor: { id: 'zstd' }, fillValue: 7 }, pool: false });
cases.push({ name: 'v3-nan-float32-sharded', spec: { format: 3, shape, chunks, shards, dtype: 'float32', compressor: { id: 'blosc', cname: 'zstd' }, fillValue: NaN }, pool: true });
cases.push({ name: 'v2-bool-gzip', spec: { format: 2, shape, chunks, dtype: 'bool', compressor: { id: 'gzip' } }, pool: false });
cases.push({ name: 'v3-int16-sharded-single-shard', spec: { format: 3, shape: [5, 7], chunks: [2, 3], shards: [6, 9], dtype: 'int16', compressor: { id: 'none' }, fillValue: -1 }, pool: false });

/** Test pixels: a ramp with a block of fill value (so some chunks are left out). */
function pixels(spec: ArraySpec): TypedArray {
  const info = DATA_TYPES[spec.dtype];
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const out = new info.array(n);
  const fill = spec.fillValue ?? 0;
  const [, h, w] = spec.shape.length === 3 ? spec.shape : [1, ...spec.shape];
  for (let i = 0; i < n; i++) {
    const x = i % w;
    const y = Math.floor(i / w) % h;
    const z = Math.floor(i / (w * h));
    if (z < 2 && y < 16 && x < 16) out[i] = fill;
    else if (spec.dtype === 'bool') out[i] = (x + y + z) % 3 === 0 ? 1 : 0;
    else if (spec.dtype === 'float32') out[i] = (x * 0.25 - y * 1.5 + z * 100) / 3;
    else if (spec.dtype === 'int16') out[i] = x * 100 - y * 37 - z;
    else out[i] = (x * 7 + y * 131 + z * 1009) % (info.max + 1);
  }
  return out;
}

/** Copy the box [start, stop) out of a C-order array. */
function crop(data: TypedArray, dims: number[], start: number[], stop: number[]): TypedArray {
  const size = stop.map((s, i) => s - start[i]);
  const out = new (data.constructor as new (n: number) => TypedArray)(size.reduce((a, b) => a * b, 1));
  let o = 0;
  const idx = [...start];
  const strides = dims.map((_, i) => dims.slice(i + 1).reduce((a, b) => a * b, 1));
  const visit = (d: number, base: number): void => {
    if (d === dims.length - 1) {
      out.set(data.subarray(base + start[d], base + stop[d]) as never, o);
      o += size[d];
      return;
    }
    for (idx[d] = start[d]; idx[d] < stop[d]; idx[d]++) visit(d + 1, base + idx[d] * strides[d]);
  };
  visit(0, 0);
  return out;
}

function sha256(data: { buffer: ArrayBufferLike; byteOffset: number; length: number; BYTES_PER_ELEMENT: number }): string {
  return createHash('sha256')
    .update(new Uint8Array(data.buffer, data.byteOffset, data.length * data.BYTES_PER_ELEMENT))
    .digest('hex');
}

let root: string;
let pool: EncodePool;
const written = new Map<string, { dir: string; expected: TypedArray; fileCount: number }>();

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-zarr-'));
  pool = createEncodePool({ size: 2 });
  await Promise.all(
    cases.map(async ({ name, spec, pool: usePool }) => {
      const dir = path.join(root, `${name}.zarr`);
      const expected = pixels(spec);
      // On the pool even where native zstd would keep the chunks on this thread, so that workers are tested too.
      const writer = await createArray(dir, spec, usePool ? { pool, nativeOnPool: true } : {});
      await Promise.all(
        planBlocks(spec.shape, writer.blockShape).map((block) =>
          writer.writeBlock(block.coords, crop(expected, spec.shape, block.start, block.stop), block.stop.map((s, i) => s - block.start[i])),
        ),
      );
      const fileCount = fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
      written.set(name, { dir, expected, fileCount });
    }),
  );
});

afterAll(async () => {
  await pool?.close();
  if (root) fs.rmSync(root, { recursive: true, force: true });
});

describe('arrays read back in zarrita', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (name, { spec }) => {
    const { dir, expected } = written.get(name)!;
    const arr = await zarr.open(new FileSystemStore(dir), { kind: 'array' });
    expect(arr.shape).toEqual(spec.shape);
    expect(arr.dtype).toBe(spec.dtype);
    const got = await zarr.get(arr);
    expect(sha256(got.data as never)).toBe(sha256(expected));
  });
});

const READ_ALL = `
import sys, json, hashlib, numpy as np, zarr
out = {}
for name, path in json.loads(sys.argv[1]).items():
    a = zarr.open_array(path, mode='r')
    v = a[...]
    out[name] = {
        'sha256': hashlib.sha256(np.ascontiguousarray(v).tobytes()).hexdigest(),
        'shape': list(v.shape), 'dtype': str(v.dtype),
        'last': v[(-1,) * v.ndim].item(), 'first': v[(0,) * v.ndim].item(),
    }
print(json.dumps(out, allow_nan=True).replace('NaN', '"NaN"'))
`;

describe.skipIf(missing('zarr-python in .venv', hasPython))('arrays read back in zarr-python', () => {
  let results: Record<string, { sha256: string; shape: number[]; dtype: string; last: number | string | boolean; first: number | string | boolean }>;
  beforeAll(async () => {
    const paths = Object.fromEntries([...written].map(([name, { dir }]) => [name, dir]));
    results = await pythonJson(READ_ALL, [JSON.stringify(paths)]);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (name, { spec }) => {
    const { expected } = written.get(name)!;
    const r = results[name];
    expect(r.shape).toEqual(spec.shape);
    expect(r.sha256).toBe(sha256(expected));
    const py = (v: number | string | boolean) => (v === 'NaN' ? NaN : Number(v));
    expect(py(r.first)).toBe(expected[0]);
    expect(py(r.last)).toBe(expected[expected.length - 1]);
  });
});

describe('what is stored', () => {
  it('leaves out chunks and inner chunks that hold only the fill value', () => {
    // 2 × 5 × 4 = 40 chunks; z < 2, y < 16, x < 16 (two chunks) is fill.
    expect(written.get('v2-zstd-uint8')!.fileCount).toBe(1 + 40 - 2);
    // 2 × 3 × 2 = 12 shards, each with some pixels; shard c/0/0/0 holds 1 × 2 × 2 inner chunks, two of them fill.
    const { dir, fileCount } = written.get('v3-zstd-uint8-sharded')!;
    expect(fileCount).toBe(1 + 12);
    const shard = fs.readFileSync(path.join(dir, 'c', '0', '0', '0'));
    const index = new BigUint64Array(shard.buffer.slice(shard.byteOffset + shard.length - 4 - 64, shard.byteOffset + shard.length - 4));
    const missingEntry = 2n ** 64n - 1n;
    expect([...index]).toEqual([missingEntry, missingEntry, 0n, index[3], missingEntry, missingEntry, index[3], index[7]]);
    expect(shard.readUInt32LE(shard.length - 4)).toBe(crc32c(new Uint8Array(index.buffer)));
  });

  it('writes the metadata zarr-python writes', () => {
    const v2 = JSON.parse(fs.readFileSync(path.join(written.get('v2-blosc-zstd-uint16')!.dir, '.zarray'), 'utf8'));
    expect(v2).toEqual({
      shape,
      chunks,
      dtype: '<u2',
      fill_value: 0,
      order: 'C',
      filters: null,
      dimension_separator: '/',
      compressor: { id: 'blosc', cname: 'zstd', clevel: 3, shuffle: 2, blocksize: 0 },
      zarr_format: 2,
    });
    const v3 = JSON.parse(fs.readFileSync(path.join(written.get('v3-nan-float32-sharded')!.dir, 'zarr.json'), 'utf8'));
    expect(v3.fill_value).toBe('NaN');
    expect(v3.chunk_grid.configuration.chunk_shape).toEqual(shards);
    expect(v3.codecs[0].configuration).toEqual({
      chunk_shape: chunks,
      codecs: [
        { name: 'bytes', configuration: { endian: 'little' } },
        { name: 'blosc', configuration: { typesize: 4, cname: 'zstd', clevel: 5, shuffle: 'shuffle', blocksize: 0 } },
      ],
      index_codecs: [{ name: 'bytes', configuration: { endian: 'little' } }, { name: 'crc32c' }],
      index_location: 'end',
    });
  });

  it.skipIf(missing('zarr-python in .venv', hasPython))('matches the metadata zarr-python itself writes for the same array', async () => {
    const dir = path.join(root, 'reference');
    const ref = await pythonJson<Record<string, Record<string, unknown>>>(
      `
import sys, json, os, numcodecs, zarr
from zarr.codecs import BloscCodec, ZstdCodec, GzipCodec
root = sys.argv[1]
def read(p):
    return json.load(open(p))
zarr.create_array(os.path.join(root, 'v2'), shape=(3, 37, 50), chunks=(2, 8, 16), dtype='uint16', zarr_format=2,
    compressors=numcodecs.Blosc(cname='zstd', clevel=3, shuffle=2), chunk_key_encoding={'name': 'v2', 'separator': '/'}, fill_value=0)
zarr.create_array(os.path.join(root, 'v3z'), shape=(3, 37, 50), chunks=(2, 8, 16), dtype='uint8', zarr_format=3,
    compressors=ZstdCodec(level=3, checksum=False), dimension_names=['z', 'y', 'x'], fill_value=0)
zarr.create_array(os.path.join(root, 'v3g'), shape=(3, 37, 50), chunks=(2, 8, 16), shards=(2, 16, 32), dtype='float32', zarr_format=3,
    compressors=GzipCodec(level=6), dimension_names=['z', 'y', 'x'], fill_value=0)
print(json.dumps({'v2': read(os.path.join(root, 'v2', '.zarray')), 'v3z': read(os.path.join(root, 'v3z', 'zarr.json')), 'v3g': read(os.path.join(root, 'v3g', 'zarr.json'))}))
`,
      [dir],
    );
    const ours = (name: string, file: string) => JSON.parse(fs.readFileSync(path.join(written.get(name)!.dir, file), 'utf8'));
    expect(ours('v2-blosc-zstd-uint16', '.zarray')).toEqual(ref.v2);
    expect(ours('v3-zstd-uint8', 'zarr.json')).toEqual(ref.v3z);
    expect(ours('v3-gzip-float32-sharded', 'zarr.json')).toEqual(ref.v3g);
  });

  it('writes groups', async () => {
    const v2 = path.join(root, 'group2');
    const v3 = path.join(root, 'group3');
    await writeGroup(v2, 2, { hello: 'world' });
    await writeGroup(v3, 3, { hello: 'world' });
    expect(JSON.parse(fs.readFileSync(path.join(v2, '.zgroup'), 'utf8'))).toEqual({ zarr_format: 2 });
    expect(JSON.parse(fs.readFileSync(path.join(v2, '.zattrs'), 'utf8'))).toEqual({ hello: 'world' });
    expect(JSON.parse(fs.readFileSync(path.join(v3, 'zarr.json'), 'utf8'))).toEqual({ attributes: { hello: 'world' }, zarr_format: 3, node_type: 'group' });
    const group = await zarr.open(new FileSystemStore(v3), { kind: 'group' });
    expect(group.attrs).toEqual({ hello: 'world' });
  });
});
