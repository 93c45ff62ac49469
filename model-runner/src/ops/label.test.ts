/**
 * `labelImage` against `skimage.measure.label`: the label images must be
 * identical (same numbers, not only the same objects), with blocks far
 * smaller than the image so that objects cross many block borders — faces,
 * and the edges and corners where blocks meet diagonally — in 2-D and 3-D,
 * for every connectivity, on synthetic masks, on masks thresholded from the
 * shared real images and from the bundled synthetic sample, and with a time
 * axis and a channel axis (each slice on its own, numbers continuing).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openOmeZarr } from '@fairio/ngff';
import { hasPython, hasSharedData, missing, pythonJson } from '../../../tests/helpers/reference.js';
import { ComponentForest, labelBlock } from './components.js';
import { labelImage } from './label.js';
import { thresholdImage } from './threshold.js';
import { PY_LEVEL0, borderCrossingMask, random, sharedSample, syntheticZarr, writeArray } from './__fixtures__/images.js';

const skip = missing('Python reference tools (.venv)', hasPython) || missing('shared reference data', hasSharedData);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-label-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const COMPARE = `${PY_LEVEL0}
from skimage.measure import label
out = []
for job in json.loads(sys.argv[1]):
    mask, axes, _, _ = level0(job['mask'])
    ours, _, ome, _ = level0(job['labels'])
    nsp = spatial_count(axes)
    ref = np.zeros(mask.shape, np.int64)
    offset = 0
    for idx in np.ndindex(mask.shape[:mask.ndim - nsp]):
        lab = label(mask[idx] != 0, connectivity=job['connectivity'])
        ref[idx] = np.where(lab > 0, lab + offset, 0)
        offset += int(lab.max())
    out.append({'equal': bool(ref.shape == ours.shape and np.array_equal(ref, ours)), 'count': offset,
                'mismatches': int((ref != ours).sum()) if ref.shape == ours.shape else -1,
                'dtype': str(ours.dtype), 'image_label': 'image-label' in ome})
print(json.dumps(out))
`;

interface Job {
  name: string;
  mask: string;
  connectivity: number;
  block: number[];
}

/** Label every job, then compare all of them with skimage in one Python run. */
async function labelAndCompare(jobs: Job[]): Promise<void> {
  const ours: Record<string, number> = {};
  for (const job of jobs) {
    const output = path.join(work, `${job.name}.labels.ome.zarr`);
    const result = await labelImage(job.mask, output, { connectivity: job.connectivity, block: job.block, workers: 0 });
    ours[job.name] = result.labels;
  }
  const refs = await pythonJson<{ equal: boolean; count: number; mismatches: number; dtype: string; image_label: boolean }[]>(COMPARE, [
    JSON.stringify(jobs.map((j) => ({ mask: j.mask, labels: path.join(work, `${j.name}.labels.ome.zarr`), connectivity: j.connectivity }))),
  ]);
  jobs.forEach((job, i) => {
    const ref = refs[i];
    expect({ job: job.name, ...ref }).toEqual({ job: job.name, equal: true, count: ours[job.name], mismatches: 0, dtype: 'uint32', image_label: true });
  });
}

describe('labelBlock', () => {
  it('merges the arms of a U and numbers components in raster order of their first pixel', () => {
    const pixels = Uint8Array.from([1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 1]);
    const faces = labelBlock(pixels, [4, 4], 1);
    expect([...faces.labels]).toEqual([1, 0, 1, 0, 1, 0, 1, 0, 1, 1, 1, 0, 0, 0, 0, 2]);
    expect(faces.count).toBe(2);
    expect([...faces.first]).toEqual([0, 15]);
    // With diagonals the corner pixel joins the U.
    expect(labelBlock(pixels, [4, 4], 2).count).toBe(1);
  });

  it('joins pieces by their earliest first pixel', () => {
    const forest = new ComponentForest();
    forest.add(3, (k) => [50, 10, 30][k]);
    forest.union(1, 3);
    const { final, count } = forest.number();
    expect(count).toBe(2);
    expect([...final]).toEqual([0, 2, 1, 2]);
  });
});

describe.skipIf(skip)('labelImage equals skimage.measure.label', () => {
  it('2-D: spiral, comb and corner-only staircases, 512 × 512 in 32 × 32 chunks and blocks, connectivity 1 and 2', async () => {
    const mask = await writeArray(path.join(work, 'crossing.ome.zarr'), borderCrossingMask(512, 512), [512, 512], 'uint8', 'yx', { chunks: [32, 32] });
    await labelAndCompare([
      { name: 'crossing-1', mask, connectivity: 1, block: [32, 32] },
      { name: 'crossing-2', mask, connectivity: 2, block: [32, 32] },
    ]);
  });

  it('2-D and 3-D random masks, blocks that do not divide the image, every connectivity', async () => {
    const rand = random(7);
    const noise2 = Uint8Array.from({ length: 203 * 301 }, () => (rand() < 0.55 ? 1 : 0));
    const noise3 = Uint16Array.from({ length: 19 * 41 * 53 }, () => (rand() < 0.3 ? 1 + Math.floor(rand() * 3) : 0));
    const m2 = await writeArray(path.join(work, 'noise2.ome.zarr'), noise2, [203, 301], 'uint8', 'yx', { chunks: [16, 16] });
    const m3 = await writeArray(path.join(work, 'noise3.ome.zarr'), noise3, [19, 41, 53], 'uint16', 'zyx', { chunks: [4, 8, 8], ngff: '0.4' });
    await labelAndCompare([
      { name: 'noise2-1', mask: m2, connectivity: 1, block: [16, 16] },
      { name: 'noise2-2', mask: m2, connectivity: 2, block: [13, 17] },
      { name: 'noise3-1', mask: m3, connectivity: 1, block: [4, 8, 8] },
      { name: 'noise3-2', mask: m3, connectivity: 2, block: [3, 7, 9] },
      { name: 'noise3-3', mask: m3, connectivity: 3, block: [4, 8, 8] },
    ]);
  });

  it('real images: thresholded BBBC033 (2-D), the ovule stack (3-D), a time series and the synthetic sample', async () => {
    const bbbc = await sharedSample(work, 'BBBC033_C2_z28-lzw.tiff', [64, 64]);
    const ovule = await sharedSample(work, 'sample_ovule.tiff', [8, 32, 32]);
    const series = await sharedSample(work, 'input1_tyx.tiff', [1, 32, 32]);
    const synthetic = await syntheticZarr(work, { size: 512, depth: 4, chunk: 64 });
    const masks: Record<string, string> = {};
    for (const [name, input, channel] of [
      ['bbbc', bbbc, undefined],
      ['ovule', ovule, undefined],
      ['series', series, undefined],
      ['synthetic', synthetic, 0],
    ] as const) {
      masks[name] = path.join(work, `${name}.mask.ome.zarr`);
      await thresholdImage(input, masks[name], { method: 'otsu', channel, workers: 0 });
    }
    await labelAndCompare([
      { name: 'bbbc-2', mask: masks.bbbc, connectivity: 2, block: [64, 64] },
      { name: 'bbbc-1', mask: masks.bbbc, connectivity: 1, block: [48, 80] },
      { name: 'ovule-3', mask: masks.ovule, connectivity: 3, block: [8, 32, 32] },
      { name: 'ovule-1', mask: masks.ovule, connectivity: 1, block: [5, 24, 40] },
      { name: 'series-2', mask: masks.series, connectivity: 2, block: [32, 32] },
      { name: 'synthetic-3', mask: masks.synthetic, connectivity: 3, block: [2, 32, 32] },
    ]);
  });

  it('a mask with a channel axis is labelled channel by channel, numbers continuing', async () => {
    const mask = borderCrossingMask(96, 80);
    const two = new Uint8Array(2 * mask.length);
    two.set(mask, 0);
    two.set(mask.map((v, i) => (i % 7 === 0 ? 1 - v : v)), mask.length);
    const input = await writeArray(path.join(work, 'channels.ome.zarr'), two, [2, 96, 80], 'uint8', 'cyx', { chunks: [1, 16, 16] });
    await labelAndCompare([{ name: 'channels-2', mask: input, connectivity: 2, block: [16, 16] }]);
    const image = await (await openOmeZarr(path.join(work, 'channels-2.labels.ome.zarr'))).image();
    expect(image.axisNames).toEqual(['c', 'y', 'x']);
    expect(image.imageLabel).toBeDefined();
    expect(image.levels.length).toBeGreaterThan(1);
  });

  it('an empty mask has no objects', async () => {
    const input = await writeArray(path.join(work, 'empty.ome.zarr'), new Uint8Array(64 * 64), [64, 64], 'uint8', 'yx', { chunks: [16, 16] });
    const result = await labelImage(input, path.join(work, 'empty.labels.ome.zarr'), { block: [16, 16], workers: 0 });
    expect(result.labels).toBe(0);
    const { data } = await (await (await openOmeZarr(path.join(work, 'empty.labels.ome.zarr'))).image()).readRegion();
    expect(data.every((v) => v === 0)).toBe(true);
  });

  it('removes its temporary folder after success and when cancelled midway, leaving no output', async () => {
    const input = await writeArray(path.join(work, 'cancel.ome.zarr'), borderCrossingMask(128, 128), [128, 128], 'uint8', 'yx', { chunks: [16, 16] });
    const leftovers = () => fs.readdirSync(work).filter((f) => f.includes('.label-') || f.includes('.partial-'));
    await labelImage(input, path.join(work, 'done.ome.zarr'), { block: [16, 16], workers: 0 });
    expect(leftovers()).toEqual([]);
    const controller = new AbortController();
    const run = labelImage(input, path.join(work, 'cancelled.ome.zarr'), {
      block: [16, 16],
      workers: 0,
      signal: controller.signal,
      onProgress: (done) => {
        if (done === 20) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ name: 'AbortError' });
    expect(leftovers()).toEqual([]);
    expect(fs.existsSync(path.join(work, 'cancelled.ome.zarr'))).toBe(false);
  });

  it('refuses a connectivity above the number of spatial axes, and leaves nothing behind', async () => {
    const input = await writeArray(path.join(work, 'small.ome.zarr'), new Uint8Array(16 * 16).fill(1), [16, 16], 'uint8', 'yx');
    await expect(labelImage(input, path.join(work, 'bad.ome.zarr'), { connectivity: 3 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect(fs.readdirSync(work).filter((f) => f.includes('bad.ome.zarr'))).toEqual([]);
    await expect(labelImage(input, input)).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
  });
});
