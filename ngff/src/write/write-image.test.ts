import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { hasPython, missing, pythonJson } from '../../../tests/helpers/reference.js';
import { FairioError } from '../errors.js';
import { openOmeZarr } from '../open.js';
import type { Axis } from '../metadata/types.js';
import { arraySource, writeImage, type ImageSource } from './write-image.js';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-write-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));
const skipPython = missing('Python reference tools (.venv)', hasPython);

const axes: Axis[] = [
  { name: 'c', type: 'channel' },
  { name: 'z', type: 'space', unit: 'micrometer' },
  { name: 'y', type: 'space', unit: 'micrometer' },
  { name: 'x', type: 'space', unit: 'micrometer' },
];
const shape = [2, 3, 301, 257]; // odd sizes: edge chunks and odd pyramid edges

function randomImage(): Uint16Array {
  const data = new Uint16Array(shape.reduce((a, b) => a * b, 1));
  let s = 7;
  for (let i = 0; i < data.length; i++) {
    s = (s * 1103515245 + 12345) >>> 0;
    data[i] = (s >>> 16) & 0x0fff;
  }
  return data;
}
const image = randomImage();
const sha = (d: ArrayBufferView) => createHash('sha256').update(new Uint8Array(d.buffer, d.byteOffset, d.byteLength)).digest('hex');

// ome-zarr-py reads the multiscale metadata; zarr-python reads every level; numpy computes the 2x2 mean of level 0 for level 1.
const REFERENCE = `
import json, sys, hashlib, numpy as np, zarr
from ome_zarr.io import parse_url
from ome_zarr.reader import Reader
path = sys.argv[1]
nodes = list(Reader(parse_url(path))())
node = nodes[0]
levels = [np.asarray(a) for a in node.data]
l0 = levels[0].astype(np.float64)
h, w = l0.shape[-2] // 2 * 2, l0.shape[-1] // 2 * 2
mean = l0[..., :h, :w].reshape(l0.shape[:-2] + (h // 2, 2, w // 2, 2)).mean(axis=(-3, -1))
l1 = levels[1][..., : h // 2, : w // 2].astype(np.float64)
print(json.dumps({
  'axes': [a['name'] for a in node.metadata['axes']],
  'shapes': [list(l.shape) for l in levels],
  'sha0': hashlib.sha256(np.ascontiguousarray(levels[0]).astype('<u2').tobytes()).hexdigest(),
  'level1_max_error_vs_numpy_mean': float(np.abs(np.floor(mean + 0.5) - l1).max()),
  'channel_names': node.metadata.get('channel_names'),
  'scales': [t[0]['scale'] for t in node.metadata['coordinateTransformations']],
}))
`;

describe.skipIf(skipPython)('writeImage, read back by ome-zarr-py and zarr-python', () => {
  it.each([
    { label: 'blosc-zstd', ngff: '0.5' as const, compressor: { id: 'blosc' as const, cname: 'zstd' as const } },
    { label: 'zstd, sharded', ngff: '0.5' as const, compressor: { id: 'zstd' as const }, shards: [1, 1, 256, 256] },
    { label: 'blosc-lz4', ngff: '0.4' as const, compressor: { id: 'blosc' as const, cname: 'lz4' as const } },
    { label: 'gzip', ngff: '0.4' as const, compressor: { id: 'gzip' as const } },
  ])('NGFF $ngff, $label', async ({ ngff, compressor, shards }) => {
    const out = path.join(work, `img-${ngff}-${compressor.id}-${shards ? 'sharded' : 'plain'}.ome.zarr`);
    const written = await writeImage(out, arraySource(image, shape, 'uint16'), {
      ngff,
      axes,
      scale: [1, 2, 0.5, 0.5],
      chunks: [1, 1, 64, 64],
      shards,
      compressor,
      channels: [{ label: 'DAPI', color: '0000FF' }, { label: 'GFP' }],
      workers: 2,
    });
    expect(written.levels.map((l) => l.shape)).toEqual([
      [2, 3, 301, 257],
      [2, 3, 151, 129],
      [2, 3, 76, 65],
      [2, 3, 38, 33],
    ]);
    const ref = await pythonJson<{ channel_names: string[]; axes: string[]; shapes: number[][]; sha0: string; level1_max_error_vs_numpy_mean: number; scales: number[][] }>(REFERENCE, [out]);
    expect(ref.axes).toEqual(['c', 'z', 'y', 'x']);
    expect(ref.channel_names).toEqual(['DAPI', 'GFP']);
    expect(ref.shapes).toEqual(written.levels.map((l) => l.shape));
    expect(ref.sha0).toBe(sha(image));
    expect(ref.level1_max_error_vs_numpy_mean).toBe(0);
    expect(ref.scales[1]).toEqual([1, 2, 1, 1]);

    // And fairio's own reader agrees, including the channel windows measured while writing.
    const opened = await (await openOmeZarr(out)).image();
    expect(opened.version).toBe(ngff);
    expect(opened.omero?.channels.map((c) => c.label)).toEqual(['DAPI', 'GFP']);
    const max = image.reduce((m, v) => Math.max(m, v), 0);
    expect(Math.max(...opened.omero!.channels.map((c) => c.window!.end))).toBe(max);
  });

  it('writes a label image with mode downsampling (no new values appear)', async () => {
    const labels = new Uint32Array(64 * 64);
    for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) labels[y * 64 + x] = x < 21 ? 0 : y < 33 ? 7 : 1000;
    const out = path.join(work, 'labels.ome.zarr');
    await writeImage(out, arraySource(labels, [64, 64], 'uint32'), {
      axes: [{ name: 'y', type: 'space' }, { name: 'x', type: 'space' }],
      chunks: [16, 16],
      imageLabel: { colors: [{ 'label-value': 7, rgba: [255, 0, 0, 255] }] },
    });
    const opened = await (await openOmeZarr(out)).image();
    expect(opened.imageLabel?.colors?.[0]['label-value']).toBe(7);
    for (const level of opened.levels) {
      const { data } = await opened.readRegion({ level: level.index });
      expect(new Set(data as Uint32Array)).toEqual(new Set([0, 7, 1000]));
    }
  });
});

describe('writeImage is atomic', () => {
  it('leaves nothing behind when the source fails half-way', async () => {
    const out = path.join(work, 'broken.ome.zarr');
    const good = arraySource(image, shape, 'uint16');
    let calls = 0;
    const failing: ImageSource = {
      ...good,
      async read(start, stop) {
        if (++calls === 5) throw new FairioError('INVALID_TIFF', 'strip 3 is truncated', { path: 'input.tif' });
        return good.read(start, stop);
      },
    };
    await expect(writeImage(out, failing, { axes, chunks: [1, 1, 128, 128], workers: 0 })).rejects.toThrow(/strip 3 is truncated/);
    expect(fs.readdirSync(work).filter((f) => f.includes('broken'))).toEqual([]);
  });

  it('refuses to overwrite unless asked, and then replaces the whole store', async () => {
    const out = path.join(work, 'twice.ome.zarr');
    const small = arraySource(new Uint8Array(32 * 32).fill(3), [32, 32], 'uint8');
    const yx: Axis[] = [{ name: 'y', type: 'space' }, { name: 'x', type: 'space' }];
    await writeImage(out, small, { axes: yx, workers: 0 });
    await expect(writeImage(out, small, { axes: yx, workers: 0 })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    await writeImage(out, arraySource(new Uint8Array(16 * 16).fill(9), [16, 16], 'uint8'), { axes: yx, workers: 0, overwrite: true });
    const opened = await (await openOmeZarr(out)).image();
    expect(opened.levels[0].shape).toEqual([16, 16]);
    expect(fs.readdirSync(work).filter((f) => f.includes('partial'))).toEqual([]);
  });
});

describe('pyramid levels built in memory', () => {
  /** Every file of a store (chunk bytes and metadata), by relative path. */
  function files(dir: string): Map<string, string> {
    const out = new Map<string, string>();
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
      if (!entry.isFile()) continue;
      const full = path.join(entry.parentPath, entry.name);
      out.set(path.relative(dir, full), sha(fs.readFileSync(full)));
    }
    return out;
  }
  const float = Float32Array.from(image.subarray(0, 3 * 301 * 257), (v, i) => v / 7 + (i % 3) * 0.1);
  const labels = Uint32Array.from(image.subarray(0, 301 * 257), (v) => v >> 10);
  it.each([
    { label: 'uint16, odd edges, blosc-zstd', source: arraySource(image, shape, 'uint16'), axes, chunks: [1, 1, 64, 64] },
    { label: 'uint16, sharded', source: arraySource(image, shape, 'uint16'), axes, chunks: [1, 1, 32, 64], shards: [1, 1, 128, 256], compressor: { id: 'zstd' as const } },
    { label: 'uint16, 2 planes per chunk, chunks wider than level 1', source: arraySource(image, shape, 'uint16'), axes, chunks: [1, 2, 200, 300] },
    { label: 'float32', source: arraySource(float, [3, 301, 257], 'float32'), axes: axes.slice(1), chunks: [1, 50, 34] },
    { label: 'uint32 labels (mode)', source: arraySource(labels, [301, 257], 'uint32'), axes: axes.slice(2), chunks: [46, 30], imageLabel: {} },
    { label: 'odd chunks (read back from disk either way)', source: arraySource(image, shape, 'uint16'), axes, chunks: [1, 1, 63, 65] },
  ])('$label: the same bytes as reading each level back from disk', async ({ label, source, ...options }) => {
    const dirs = await Promise.all(
      (['memory', 'disk'] as const).map(async (pyramidFrom) => {
        const out = path.join(work, `pyramid-${label.replace(/\W+/g, '-')}-${pyramidFrom}.ome.zarr`);
        const written = await writeImage(out, source, { ...options, levels: 4, pyramidFrom, workers: 2 });
        expect(written.levels).toHaveLength(4);
        return out;
      }),
    );
    const [memory, disk] = dirs.map(files);
    expect(memory.size).toBeGreaterThan(10);
    expect(memory).toEqual(disk);
  });
});
