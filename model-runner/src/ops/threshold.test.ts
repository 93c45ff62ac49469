/**
 * `thresholdImage` against scikit-image on real images (the shared TIFFs,
 * converted with small chunks) and on the bundled synthetic sample: the
 * threshold is `threshold_otsu`'s value exactly and the mask is
 * `image > threshold` pixel for pixel; the mask is a uint8 label image
 * without the channel axis. Bad input fails with codes before anything is
 * written.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openOmeZarr } from '@fairio/ngff';
import { hasPython, hasSharedData, missing, pythonJson } from '../../../tests/helpers/reference.js';
import { thresholdImage, type ThresholdResult } from './threshold.js';
import { PY_LEVEL0, random, sharedSample, syntheticZarr, writeArray } from './__fixtures__/images.js';

const skip = missing('Python reference tools (.venv)', hasPython) || missing('shared reference data', hasSharedData);
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fairio-threshold-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

const COMPARE = `${PY_LEVEL0}
from skimage.filters import threshold_otsu
out = []
for job in json.loads(sys.argv[1]):
    image, axes, _, _ = level0(job['image'])
    names = [a['name'] for a in axes]
    if 'c' in names:
        image = np.take(image, job.get('channel') or 0, axis=names.index('c'))
    t = threshold_otsu(image) if job['method'] == 'otsu' else job['value']
    mask, mask_axes, ome, ms = level0(job['mask'])
    ref = (image > t).astype(np.uint8)
    out.append({'threshold': float(t), 'equal': bool(ref.shape == mask.shape and np.array_equal(ref, mask)),
                'foreground': int(ref.sum()), 'dtype': str(mask.dtype), 'axes': [a['name'] for a in mask_axes],
                'image_label': 'image-label' in ome, 'levels': len(ms['datasets'])})
print(json.dumps(out))
`;

interface Job {
  name: string;
  image: string;
  method: 'otsu' | 'manual';
  value?: number;
  channel?: number;
  block?: number[];
}

async function thresholdAndCompare(jobs: Job[]): Promise<ThresholdResult[]> {
  const results: ThresholdResult[] = [];
  for (const job of jobs) {
    const mask = path.join(work, `${job.name}.mask.ome.zarr`);
    results.push(await thresholdImage(job.image, mask, { method: job.method, value: job.value, channel: job.channel, block: job.block, workers: 0 }));
  }
  const refs = await pythonJson<{ threshold: number; equal: boolean; foreground: number; dtype: string; axes: string[]; image_label: boolean; levels: number }[]>(COMPARE, [
    JSON.stringify(jobs.map((j) => ({ ...j, mask: path.join(work, `${j.name}.mask.ome.zarr`) }))),
  ]);
  jobs.forEach((job, i) => {
    expect({ job: job.name, threshold: results[i].threshold, foreground: results[i].foreground, equal: true, dtype: 'uint8', image_label: true }).toEqual({
      job: job.name,
      threshold: refs[i].threshold,
      foreground: refs[i].foreground,
      equal: refs[i].equal,
      dtype: refs[i].dtype,
      image_label: refs[i].image_label,
    });
    expect(refs[i].axes).not.toContain('c');
  });
  return results;
}

describe.skipIf(skip)("threshold equals scikit-image (Otsu's value exactly, mask = image > threshold)", () => {
  let synthetic: string;
  beforeAll(async () => {
    synthetic = await syntheticZarr(work, { size: 512, depth: 4, chunk: 64 });
  });

  it('real 2-D and 3-D images and a time series, blocks much smaller than the image', async () => {
    const bbbc = await sharedSample(work, 'BBBC033_C2_z28-lzw.tiff', [64, 64]);
    const sample = await sharedSample(work, 'sample.tiff', [32, 32]);
    const ovule = await sharedSample(work, 'sample_ovule.tiff', [4, 32, 32]);
    const series = await sharedSample(work, 'input1_tyx.tiff', [1, 32, 32]);
    const results = await thresholdAndCompare([
      { name: 'bbbc', image: bbbc, method: 'otsu' },
      { name: 'sample', image: sample, method: 'otsu', block: [32, 32] },
      { name: 'ovule', image: ovule, method: 'otsu', block: [4, 32, 32] },
      { name: 'series', image: series, method: 'otsu', block: [32, 32] },
      { name: 'bbbc-manual', image: bbbc, method: 'manual', value: 17.5 },
    ]);
    expect(results.every((r) => r.foreground > 0 && r.foreground < r.pixels)).toBe(true);
  });

  it('the synthetic sample, each of its two channels (the mask drops c)', async () => {
    await thresholdAndCompare([
      { name: 'dapi', image: synthetic, method: 'otsu', channel: 0, block: [1, 32, 32] },
      { name: 'gfp', image: synthetic, method: 'otsu', channel: 1 },
    ]);
    const mask = await (await openOmeZarr(path.join(work, 'dapi.mask.ome.zarr'))).image();
    expect(mask.axisNames).toEqual(['z', 'y', 'x']);
    expect(mask.imageLabel?.colors?.[0]['label-value']).toBe(1);
    expect(mask.levels[0].scale).toEqual([1, 0.325, 0.325]);
    expect(mask.levels[0].chunks).toEqual([1, 64, 64]);
    expect(mask.levels.length).toBeGreaterThan(1);
  });

  it('floating-point images (a probability map in float32, and float64)', async () => {
    const rand = random(21);
    const probabilities = Float32Array.from({ length: 200 * 170 }, (_, i) => {
      const inside = Math.hypot((i % 170) - 85, Math.floor(i / 170) - 100) < 60;
      return Math.min(1, Math.max(0, (inside ? 0.8 : 0.1) + (rand() - 0.5) * 0.5));
    });
    const f32 = await writeArray(path.join(work, 'prob32.ome.zarr'), probabilities, [200, 170], 'float32', 'yx', { chunks: [32, 32] });
    const f64 = await writeArray(path.join(work, 'prob64.ome.zarr'), Float64Array.from(probabilities, (v) => v * 3.7 - 1), [200, 170], 'float64', 'yx', { chunks: [50, 40] });
    await thresholdAndCompare([
      { name: 'prob32', image: f32, method: 'otsu', block: [32, 32] },
      { name: 'prob64', image: f64, method: 'otsu', block: [50, 40] },
      { name: 'prob32-manual', image: f32, method: 'manual', value: 0.5 },
    ]);
  });

  it('bad input fails with a code and leaves no output', async () => {
    const out = path.join(work, 'never.ome.zarr');
    // Two channels and none chosen.
    await expect(thresholdImage(synthetic, out, { method: 'otsu' })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/2 channels \(0: DAPI, 1: GFP\).*channel/) });
    await expect(thresholdImage(synthetic, out, { method: 'otsu', channel: 2 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT', message: expect.stringMatching(/no channel 2/) });
    await expect(thresholdImage(synthetic, out, { method: 'manual', channel: 0 })).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
    await expect(thresholdImage(path.join(work, 'missing.ome.zarr'), out, { method: 'otsu' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(thresholdImage(synthetic, synthetic, { method: 'otsu', channel: 0 })).rejects.toMatchObject({ code: 'OUTPUT_EXISTS' });
    expect(fs.existsSync(out)).toBe(false);
  });
});
